# SPDX-License-Identifier: AGPL-3.0-or-later
"""The offline package (MBTiles 1.3) of a concertation, built by the real worker."""

import json
import sqlite3
import subprocess
import time

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle

from carto_concertation.accounts.models import User
from carto_concertation.contributions.services import contribution_create
from carto_concertation.core.models import Job
from tests.worlds import lonlat_in
from tiles import api as tiles_api

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_relay_builds_and_downloads_the_offline_map(
    client,
    concertation,
    celery_worker,
    tmp_path,
):
    contribution_create(
        concertation=concertation,
        author=User.objects.get(email="habitant@demo.invalid"),
        title="Un parking vélo",
        text="Devant la mairie.",
        geometry=GEOSGeometry(json.dumps({"type": "Point", "coordinates": lonlat_in("UE")})),
    )
    client.force_login(User.objects.get(email="relais@demo.invalid"))

    started = client.post(f"/api/v1/concertations/{concertation.slug}/offline-package")
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
        "contributions",
        "contributions_by_commune",
    }
    west, south, east, north = (float(v) for v in metadata["bounds"].split(","))
    assert 2.7 < west < east < 3.1 and 46.7 < south < north < 46.95

    gdal = subprocess.run(["ogrinfo", "-ro", "-so", str(package)], capture_output=True, text=True)
    assert gdal.returncode == 0, gdal.stderr
    assert "zones" in gdal.stdout and "communes" in gdal.stdout
    assert "contributions" in gdal.stdout


def test_a_resident_cannot_build_one(client, concertation):
    client.force_login(User.objects.get(email="habitant@demo.invalid"))
    url = f"/api/v1/concertations/{concertation.slug}/offline-package"
    assert client.post(url).status_code == 403
    assert client.post("/api/v1/concertations/nothing/offline-package").status_code == 404
    assert Job.objects.count() == 0


def test_starting_offline_packages_is_rate_limited_per_person(
    client,
    concertation,
    monkeypatch,
):
    # The session's worker may be up from an earlier test: nothing is sent to it, since a
    # package still being built when the test ends blocks the flush of the database.
    sent: list[str] = []
    monkeypatch.setattr(tiles_api.offline_package_task, "delay", sent.append)
    # DRF binds the rates to the class when it is first imported: set them there.
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "offline_package": "2/hour"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    url = f"/api/v1/concertations/{concertation.slug}/offline-package"
    client.force_login(User.objects.get(email="relais@demo.invalid"))
    codes = [client.post(url).status_code for _ in range(3)]
    assert codes == [202, 202, 429]
    # The limit is the relay's: a planner of the territory still starts one.
    client.force_login(User.objects.get(email="urbanisme@demo.invalid"))
    assert client.post(url).status_code == 202
    jobs = Job.objects.filter(kind="offline_package")
    assert sorted(sent) == sorted(str(pk) for pk in jobs.values_list("pk", flat=True))
    assert len(sent) == 3
