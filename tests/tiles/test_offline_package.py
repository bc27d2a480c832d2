# SPDX-License-Identifier: AGPL-3.0-or-later
"""The offline package (MBTiles 1.3) of a territory, built by the real worker."""

import json
import sqlite3
import subprocess
import time

import pytest
from django.core.management import call_command

from carto_concertation.accounts.models import User
from carto_concertation.core.models import Job
from carto_concertation.territories.models import Territory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo")
    return Territory.objects.get(siren="241800432")


def test_a_relay_builds_and_downloads_the_offline_map(client, demo, celery_worker, tmp_path):
    client.force_login(User.objects.get(email="relais@demo.invalid"))

    started = client.post(f"/api/v1/territories/{demo.siren}/offline-package")
    assert started.status_code == 202
    job_id = started.json()["id"]
    deadline = time.monotonic() + 240
    while Job.objects.get(pk=job_id).status not in (Job.Status.SUCCEEDED, Job.Status.FAILED):
        assert time.monotonic() < deadline, "the package took more than 4 minutes"
        time.sleep(0.5)
    job = Job.objects.get(pk=job_id)
    assert job.status == Job.Status.SUCCEEDED, job.report
    assert job.report["tiles"] > 100

    response = client.get(f"/api/v1/jobs/{job_id}/download")
    assert response.status_code == 200
    package = tmp_path / "offline.mbtiles"
    package.write_bytes(b"".join(response.streaming_content))

    with sqlite3.connect(package) as db:
        metadata = dict(db.execute("SELECT name, value FROM metadata"))
        zooms = [row[0] for row in db.execute("SELECT DISTINCT zoom_level FROM tiles ORDER BY 1")]
        count = db.execute("SELECT count(*) FROM tiles").fetchone()[0]
    assert metadata["format"] == "pbf"
    assert (metadata["minzoom"], metadata["maxzoom"]) == ("10", "16")
    assert zooms == list(range(10, 17))
    assert count == job.report["tiles"]
    assert {layer["id"] for layer in json.loads(metadata["json"])["vector_layers"]} >= {
        "zones",
        "communes",
    }
    west, south, east, north = (float(v) for v in metadata["bounds"].split(","))
    assert 2.7 < west < east < 3.1 and 46.7 < south < north < 46.95

    gdal = subprocess.run(["ogrinfo", "-ro", "-so", str(package)], capture_output=True, text=True)
    assert gdal.returncode == 0, gdal.stderr
    assert "zones" in gdal.stdout and "communes" in gdal.stdout


def test_a_resident_cannot_build_one(client, demo):
    client.force_login(User.objects.get(email="habitant@demo.invalid"))
    assert client.post(f"/api/v1/territories/{demo.siren}/offline-package").status_code == 403
    assert Job.objects.count() == 0
