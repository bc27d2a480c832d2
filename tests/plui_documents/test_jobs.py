# SPDX-License-Identifier: AGPL-3.0-or-later
"""Imports from the admin run in a real Celery worker, with visible progress."""

import shutil
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.services import role_grant
from carto_concertation.core.jobs import job_progress, job_state
from carto_concertation.core.models import Job
from layers.models import LayerStatus, RasterLayer
from plui_documents.models import UrbanDocument
from tests.factories import TerritoryFactory, UserFactory

from .conftest import TROIS_PROVINCES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def wait_for(job_id, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job still {job.status} after {timeout} s")


def zipped_delivery(tmp_path) -> SimpleUploadedFile:
    archive = shutil.make_archive(
        str(tmp_path / TROIS_PROVINCES.name), "zip", TROIS_PROVINCES.parent, TROIS_PROVINCES.name
    )
    return SimpleUploadedFile(
        f"{TROIS_PROVINCES.name}.zip", open(archive, "rb").read(), "application/zip"
    )


def test_a_planner_imports_a_plui_from_the_admin(client, tmp_path, celery_worker):
    territory = TerritoryFactory(siren="241800432")
    planner = UserFactory(is_staff=True)
    role_grant(user=planner, role=Role.PLANNER, territory=territory)
    client.force_login(planner)

    page = client.get("/admin/plui_documents/urbandocument/upload/")
    assert page.status_code == 200
    response = client.post(
        "/admin/plui_documents/urbandocument/upload/", {"file": zipped_delivery(tmp_path)}
    )
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"].endswith(f"/admin/core/job/{job.pk}/change/")

    job = wait_for(job.pk)
    assert job.status == Job.Status.SUCCEEDED, job.report
    assert job.progress == 100
    assert job.report["counts"]["ZONE_URBA"] == 221
    document = UrbanDocument.objects.get()
    assert document.territory == territory
    assert document.current_version.imported_by == planner
    page = client.get(response["Location"])
    assert "ZONE_URBA : 221" in page.content.decode()


def test_a_planner_cannot_import_another_territory_s_plui(client, tmp_path, celery_worker):
    TerritoryFactory(siren="241800432")
    planner = UserFactory(is_staff=True)
    role_grant(user=planner, role=Role.PLANNER, territory=TerritoryFactory())
    client.force_login(planner)

    client.post("/admin/plui_documents/urbandocument/upload/", {"file": zipped_delivery(tmp_path)})
    job = wait_for(Job.objects.get().pk)

    assert job.status == Job.Status.FAILED
    # The worker speaks the default language, French.
    assert "que les documents des territoires dont vous êtes urbaniste" in " ".join(
        job.report["errors"]
    )
    assert UrbanDocument.objects.count() == 0


def test_staff_without_a_planner_role_cannot_open_the_import(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/plui_documents/urbandocument/upload/").status_code == 403


def test_the_upload_form_refuses_other_files(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    text = SimpleUploadedFile("zones.txt", b"not a delivery", "text/plain")
    response = client.post("/admin/plui_documents/urbandocument/upload/", {"file": text})
    assert response.status_code == 200
    assert (
        "Accepted files" in response.content.decode()
        or "Fichiers acceptés" in response.content.decode()
    )
    assert Job.objects.count() == 0


def test_a_raster_upload_is_converted_by_the_worker(client, celery_worker, data_dir):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    tiff = (data_dir / "raster" / "byte.tif").read_bytes()
    response = client.post(
        "/admin/layers/rasterlayer/add/",
        {
            "file": SimpleUploadedFile("plan.tif", tiff, "image/tiff"),
            "title": "Plan de zonage",
            "attribution": "CC",
        },
    )
    assert response.status_code == 302
    job = wait_for(Job.objects.get().pk)
    assert job.status == Job.Status.SUCCEEDED, job.report
    layer = RasterLayer.objects.get()
    assert layer.status == LayerStatus.READY
    assert layer.source_crs == "EPSG:26711"
    assert layer.cog.name.endswith(".tif")


def test_progress_is_visible_while_the_job_runs():
    job = Job.objects.create(kind="plui_import", title="Import", status=Job.Status.RUNNING)
    job_progress(job.pk, 42, "Loading ZONE_URBA")
    state = job_state(job)
    assert (state["progress"], state["message"]) == (42, "Loading ZONE_URBA")
