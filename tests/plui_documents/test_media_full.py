# SPDX-License-Identifier: AGPL-3.0-or-later
"""The media disk full while a planner uploads a PLUi delivery (issue 23, faults): a
page in French says nothing was saved, no job starts, no part of the file stays."""

import pytest
from django.test import Client

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.services import role_grant
from carto_concertation.core.models import Job
from tests.conftest import big_upload, media_files
from tests.factories import TerritoryFactory, UserFactory

from .test_jobs import zipped_delivery

pytestmark = pytest.mark.django_db


def test_a_plui_upload_on_a_full_disk_is_refused_in_french(client, tmp_path, full_media):
    planner = UserFactory(is_staff=True)
    role_grant(user=planner, role=Role.PLANNER, territory=TerritoryFactory(siren="241800432"))
    client.force_login(planner)

    response = client.post(
        "/admin/plui_documents/urbandocument/upload/", {"file": zipped_delivery(tmp_path)}
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "Le serveur n’a plus de place pour enregistrer des fichiers" in page
    assert '<html lang="fr"' in page
    assert not Job.objects.exists()
    assert media_files(full_media) == set()
    assert not (full_media / "imports").exists() or not any((full_media / "imports").iterdir())


def test_a_plui_upload_the_temporary_directory_has_no_room_for_is_refused_naming_the_field(
    tmp_path, full_upload_temp
):
    planner = UserFactory(is_staff=True)
    role_grant(user=planner, role=Role.PLANNER, territory=TerritoryFactory(siren="241800432"))
    client = Client(enforce_csrf_checks=True)  # the form is read by CSRF's check, as live
    client.force_login(planner)
    page = "/admin/plui_documents/urbandocument/upload/"
    assert client.get(page).status_code == 200

    response = client.post(
        page,
        {
            "file": big_upload("livraison.zip"),
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "Le serveur n’a plus de place pour recevoir le fichier du champ « file »" in page
    assert not Job.objects.exists()
    assert list(full_upload_temp.iterdir()) == []  # not even the start of the upload
