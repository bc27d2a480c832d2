# SPDX-License-Identifier: AGPL-3.0-or-later
"""“Download my data” as a person does it: ask on /accounts/data/, the job builds the
archive, download it from the page's link. Used by every module's tests of its section."""

import io
import json
import zipfile

from django.db import connection

from carto_concertation.accounts.archives import DATA_EXPORT_JOB
from carto_concertation.accounts.tasks import data_export_task
from carto_concertation.core.models import Job
from tests.plui_documents.test_jobs import wait_for


def download_response(client, job: Job):
    """The archive's download, as its page links it."""
    page = client.get("/accounts/data/").content.decode()
    url = f"/accounts/data/{job.pk}/"
    assert f'href="{url}"' in page
    return client.get(url)


def my_data_archive(client) -> zipfile.ZipFile:
    """Ask for the signed-in person's archive and download it once built. In a test
    whose writes are committed, the real worker builds it (the test needs the
    ``celery_worker`` fixture); inside a test's transaction, which no worker sees, the
    task's body runs here, as the worker runs it."""
    asked = client.post("/accounts/data/")
    assert asked.status_code == 302 and asked.url == "/accounts/data/"
    job = Job.objects.filter(kind=DATA_EXPORT_JOB).latest("created_at")
    if connection.in_atomic_block:
        data_export_task(str(job.pk))
    job = wait_for(job.pk)
    assert job.status == Job.Status.SUCCEEDED, job.message
    response = download_response(client, job)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="carto-concertation-')
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def my_data_files(client) -> dict:
    """Every file of the archive, read as JSON."""
    archive = my_data_archive(client)
    return {name: json.loads(archive.read(name)) for name in archive.namelist()}
