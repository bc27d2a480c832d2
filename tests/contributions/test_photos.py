# SPDX-License-Identifier: AGPL-3.0-or-later
"""Photos: recognised by decoding, bounded, re-encoded, without EXIF (GPS included)."""

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from carto_concertation.concertations.models import Phase
from carto_concertation.contributions.models import Contribution, ContributionPhoto
from tests.factories import UserFactory

from .conftest import make_idea, point_in, url

pytestmark = pytest.mark.django_db

GPS_LATITUDE = (46.0, 50.0, 12.5)


def jpeg_with_gps(size=(3000, 2000), orientation: int | None = None) -> bytes:
    """A camera-like JPEG: maker, GPS position, a comment, maybe an orientation."""
    image = Image.new("RGB", size, (180, 120, 60))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Model X"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (2.0, 55.0, 3.0),
    }
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif, comment=b"Jean Dupont, 12 rue des Lilas")
    return output.getvalue()


def png_with_alpha() -> bytes:
    image = Image.new("RGBA", (400, 300), (0, 128, 0, 0))
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def upload(content: bytes, name: str = "IMG_2024_maison_de_Jean.jpg", kind="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=kind)


def multipart_idea(concertation, photos, **extra) -> dict:
    return {
        "title": "Un banc sous le tilleul",
        "text": "Un banc à l'ombre pour les promeneurs.",
        "themes": [concertation.themes.get(name="Habitat").pk],
        "geometry": json.dumps({"type": "Point", "coordinates": list(point_in("UB").coords)}),
        "photos": photos,
        **extra,
    }


def stored_files(media_root: Path) -> set[Path]:
    return (
        {p for p in (media_root / "contributions").rglob("*") if p.is_file()}
        if (media_root / "contributions").exists()
        else set()
    )


def test_the_source_really_carries_gps():
    exif = Image.open(io.BytesIO(jpeg_with_gps())).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == GPS_LATITUDE


def test_photos_at_creation_are_re_encoded_without_any_metadata(
    client, open_concertation, author, settings, media_root
):
    response = client.post(
        url(open_concertation),
        multipart_idea(
            open_concertation,
            [upload(jpeg_with_gps()), upload(png_with_alpha(), "transparent.png", "image/png")],
        ),
    )
    assert response.status_code == 201, response.json()
    photos = response.json()["properties"]["photos"]
    assert [(p["width"], p["height"]) for p in photos] == [(1600, 1067), (400, 300)]
    assert "maison_de_Jean" not in response.content.decode()
    for photo in ContributionPhoto.objects.filter(contribution_id=response.json()["id"]):
        assert "maison" not in photo.image.name and photo.image.name.endswith(".jpg")
        data = Path(photo.image.path).read_bytes()
        stored = Image.open(io.BytesIO(data))
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert {"exif", "comment", "icc_profile"}.isdisjoint(stored.info)
        assert b"Exif" not in data and b"Jean Dupont" not in data
        assert max(stored.size) <= settings.PHOTO_MAX_SIDE
    # Transparency flattened on white.
    assert Image.open(ContributionPhoto.objects.last().image.path).getpixel((10, 10)) == (
        pytest.approx(255, abs=2),
        pytest.approx(255, abs=2),
        pytest.approx(255, abs=2),
    )

    served = client.get(photos[0]["url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert not Image.open(io.BytesIO(b"".join(served.streaming_content))).getexif()


def test_the_orientation_is_applied_before_the_exif_goes(client, open_concertation, author):
    contribution = make_idea(open_concertation, author)
    response = client.post(
        url(open_concertation, "photos/", contribution.pk),
        {"image": upload(jpeg_with_gps(size=(300, 200), orientation=6))},
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["width"], response.json()["height"]) == (200, 300)


def test_the_author_adds_photos_until_three(client, open_concertation, author):
    contribution = make_idea(open_concertation, author)
    target = url(open_concertation, "photos/", contribution.pk)
    for _ in range(3):
        assert client.post(target, {"image": upload(png_with_alpha())}).status_code == 201
    response = client.post(target, {"image": upload(png_with_alpha())})
    assert response.status_code == 400
    assert "image" in response.json()
    assert contribution.photos.count() == 3


def test_at_most_three_photos_at_creation(client, open_concertation, author):
    response = client.post(
        url(open_concertation),
        multipart_idea(open_concertation, [upload(png_with_alpha()) for _ in range(4)]),
    )
    assert response.status_code == 400
    assert "photos" in response.json()
    assert Contribution.objects.filter(concertation=open_concertation).count() == 0


def test_no_photo_on_someone_else_s_contribution(client, open_concertation, author):
    contribution = make_idea(open_concertation, UserFactory())
    response = client.post(
        url(open_concertation, "photos/", contribution.pk), {"image": upload(png_with_alpha())}
    )
    assert response.status_code == 403
    assert contribution.photos.count() == 0


def test_no_photo_after_the_phase_closed(client, open_concertation, author):
    contribution = make_idea(open_concertation, author)
    Phase.objects.filter(concertation=open_concertation).update(
        starts_at=timezone.now() - timedelta(days=9), ends_at=timezone.now() - timedelta(days=1)
    )
    response = client.post(
        url(open_concertation, "photos/", contribution.pk), {"image": upload(png_with_alpha())}
    )
    assert response.status_code == 400
    assert "concertation" in response.json()


def test_the_author_removes_a_photo(
    client, open_concertation, author, django_capture_on_commit_callbacks
):
    contribution = make_idea(open_concertation, author)
    created = client.post(
        url(open_concertation, "photos/", contribution.pk), {"image": upload(png_with_alpha())}
    ).json()
    path = Path(ContributionPhoto.objects.get(pk=created["id"]).image.path)
    assert path.exists()
    client.force_login(UserFactory())
    target = url(open_concertation, f"photos/{created['id']}", contribution.pk)
    assert client.delete(target).status_code == 403
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(target).status_code == 204
    assert not path.exists()
    assert client.get(created["url"]).status_code == 404


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"#!/bin/sh\necho not a photo\n", "photo.jpg"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "a.svg"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "scan.jpg"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "anim.gif"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_written(
    client, open_concertation, author, media_root, content, name
):
    before = stored_files(media_root)
    response = client.post(
        url(open_concertation),
        multipart_idea(open_concertation, [upload(png_with_alpha()), upload(content, name)]),
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert "not a photo" in " ".join(response.json()["photos"])
    assert Contribution.objects.filter(concertation=open_concertation).count() == 0
    assert stored_files(media_root) == before


def test_a_truncated_jpeg_is_refused(client, open_concertation, author):
    response = client.post(
        url(open_concertation), multipart_idea(open_concertation, [upload(jpeg_with_gps()[:2000])])
    )
    assert response.status_code == 400
    assert "photos" in response.json()


def test_a_photo_over_the_size_limit_is_refused(client, open_concertation, author, settings):
    settings.PHOTO_MAX_BYTES = 1000
    response = client.post(
        url(open_concertation),
        multipart_idea(open_concertation, [upload(jpeg_with_gps())]),
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert "too large" in " ".join(response.json()["photos"])
    assert Contribution.objects.filter(concertation=open_concertation).count() == 0


def test_a_decompression_bomb_is_refused_before_decoding(client, open_concertation, author):
    # 12,000 × 12,000 pixels of one colour: a few kilobytes on disk, 144 Mpx decoded.
    bomb = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 100_000
    contribution = make_idea(open_concertation, author)
    response = client.post(
        url(open_concertation, "photos/", contribution.pk),
        {"image": upload(bomb.getvalue(), "bomb.png", "image/png")},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert "too many pixels" in " ".join(response.json()["image"])


def test_the_pixel_limit_comes_from_the_settings(client, open_concertation, author, settings):
    settings.PHOTO_MAX_PIXELS = 100_000
    contribution = make_idea(open_concertation, author)
    response = client.post(
        url(open_concertation, "photos/", contribution.pk),
        {"image": upload(jpeg_with_gps(size=(400, 300)))},
    )
    assert response.status_code == 400
    assert contribution.photos.count() == 0
