# SPDX-License-Identifier: AGPL-3.0-or-later
"""The media disk full while a resident posts an idea with a photo (issue 23, faults):
a 413 in French, no idea without its photo, no half-written file."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from carto_concertation.contributions.models import Contribution, ContributionPhoto
from tests.conftest import FREE, big_upload, media_files

from .test_photos import multipart_idea, url

pytestmark = pytest.mark.django_db


def noisy_jpeg() -> SimpleUploadedFile:
    """A photo that stays far bigger than the room left once re-encoded."""
    image = Image.frombytes("RGB", (800, 600), os.urandom(800 * 600 * 3))
    output = io.BytesIO()
    image.save(output, "JPEG", quality=90)
    assert len(output.getvalue()) > 4 * FREE
    return SimpleUploadedFile("photo.jpg", output.getvalue(), content_type="image/jpeg")


def test_an_idea_with_a_photo_on_a_full_disk_is_refused_whole(
    client, open_concertation, author, full_media
):
    response = client.post(
        url(open_concertation), multipart_idea(open_concertation, [noisy_jpeg()])
    )

    assert response.status_code == 413
    assert response.json()["detail"].startswith("Le serveur n’a plus de place")
    assert response["Retry-After"] == "3600"
    assert not Contribution.objects.filter(title="Un banc sous le tilleul").exists()
    assert not ContributionPhoto.objects.exists()
    assert media_files(full_media) == set()  # not even the start of the photo


def test_the_same_idea_goes_through_once_there_is_room(
    client, open_concertation, author, full_media
):
    (full_media / "filler").unlink()
    response = client.post(
        url(open_concertation), multipart_idea(open_concertation, [noisy_jpeg()])
    )

    assert response.status_code == 201, response.content
    (photo,) = ContributionPhoto.objects.all()
    assert media_files(full_media) == {photo.image.name}


def test_an_idea_whose_photo_the_temporary_directory_has_no_room_for_is_refused_naming_it(
    client, open_concertation, author, full_upload_temp
):
    response = client.post(
        url(open_concertation),
        multipart_idea(open_concertation, [big_upload("photo.jpg", "image/jpeg")]),
    )

    assert response.status_code == 413
    message = "Le serveur n’a plus de place pour recevoir le fichier du champ « photos »"
    assert response.json()["photos"][0].startswith(message)
    assert response.json()["detail"].startswith(message)
    assert not Contribution.objects.filter(title="Un banc sous le tilleul").exists()
    assert not ContributionPhoto.objects.exists()
    assert list(full_upload_temp.iterdir()) == []
