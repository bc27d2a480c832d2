# SPDX-License-Identifier: AGPL-3.0-or-later
"""The open files served at /donnees/<siren>/<collection>.<format>: size, date, strong
ETag, 304, HEAD, type and name; 404 for what is not published. Their refresh runs as a
job, nightly and after an import."""

import hashlib

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils.http import http_date

from carto_concertation.core.changes import tileset_changed_announce
from carto_concertation.core.models import Job
from carto_concertation.opendata import tasks
from carto_concertation.opendata.catalogue.files import open_file_path, open_files_refresh
from carto_concertation.opendata.models import OpenFile
from plui_documents.models import DocumentVersion
from plui_documents.signals import version_made_current
from tests.factories import DocumentVersionFactory, TerritoryFactory

from .open_files_world import ogr_features

pytestmark = pytest.mark.django_db
CONTENT_TYPES = {
    "geojson": "application/geo+json",
    "csv": "text/csv; charset=utf-8",
    "gpkg": "application/geopackage+sqlite3",
    "fgb": "application/octet-stream",
}


@pytest.fixture(autouse=True)
def open_data_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://carto.example.org"


@pytest.fixture
def published(settings):
    settings.OPEN_DATA_FLATGEOBUF_FROM = 2
    territory = TerritoryFactory(communes=2)
    open_files_refresh()
    return territory


def url(territory, fmt: str, collection: str = "communes") -> str:
    return f"/donnees/{territory.siren}/{collection}.{fmt}"


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg", "fgb"])
def test_a_file_comes_with_its_size_date_checksum_type_and_name(client, published, fmt):
    path = open_file_path(siren=published.siren, collection="communes", fmt=fmt)
    data = path.read_bytes()
    record = OpenFile.objects.get(territory=published, format=fmt)
    # Asked by a browser (gzip accepted): sent as written all the same.
    response = client.get(url(published, fmt), headers={"accept-encoding": "gzip, br"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Length"] == str(len(data))
    assert "Content-Encoding" not in response
    assert response["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'  # strong
    assert response["Last-Modified"] == http_date(record.modified.timestamp())
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="communes-{published.siren}.{fmt}"'

    head = client.head(url(published, fmt))
    assert head.status_code == 200 and head["Content-Length"] == str(len(data))
    assert head["ETag"] == response["ETag"]

    unchanged = client.get(url(published, fmt), headers={"if-none-match": response["ETag"]})
    assert unchanged.status_code == 304 and unchanged["ETag"] == response["ETag"]
    since = client.get(
        url(published, fmt), headers={"if-modified-since": response["Last-Modified"]}
    )
    assert since.status_code == 304
    other = client.get(url(published, fmt), headers={"if-none-match": '"another"'})
    assert other.status_code == 200


def test_a_range_of_a_file_is_sent_alone(client, published):
    """What GDAL's /vsicurl/ and FlatGeobuf's readers ask: one range of bytes."""
    path = open_file_path(siren=published.siren, collection="communes", fmt="fgb")
    data = path.read_bytes()
    size = len(data)
    first = client.get(url(published, "fgb"), headers={"range": "bytes=0-99"})
    assert first.status_code == 206
    assert b"".join(first.streaming_content) == data[:100]
    assert first["Content-Length"] == "100"
    assert first["Content-Range"] == f"bytes 0-99/{size}"
    assert first["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    last = client.get(url(published, "fgb"), headers={"range": "bytes=-10"})
    assert last.status_code == 206 and b"".join(last.streaming_content) == data[-10:]
    rest = client.get(url(published, "fgb"), headers={"range": f"bytes=100-{size + 50}"})
    assert b"".join(rest.streaming_content) == data[100:]
    assert rest["Content-Range"] == f"bytes 100-{size - 1}/{size}"
    beyond = client.get(url(published, "fgb"), headers={"range": f"bytes={size}-"})
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"
    # Another version named by If-Range, several ranges, or nonsense: the whole file.
    for headers in (
        {"range": "bytes=0-9", "if-range": '"another"'},
        {"range": "bytes=0-9,20-29"},
        {"range": "bytes=9-0"},
        {"range": "lines=1-2"},
    ):
        whole = client.get(url(published, "fgb"), headers=headers)
        assert whole.status_code == 200, headers
        assert b"".join(whole.streaming_content) == data
    assert whole["Accept-Ranges"] == "bytes"


@pytest.mark.django_db(transaction=True)
def test_gdal_reads_every_file_over_http(live_server, settings):
    """GDAL's /vsicurl/ (QGIS's way with a URL): the GeoPackage and the FlatGeobuf read
    by ranges, the others whole."""
    settings.OPEN_DATA_FLATGEOBUF_FROM = 2
    territory = TerritoryFactory(communes=3)
    open_files_refresh()
    insee = sorted(territory.communes.values_list("insee", flat=True))
    for fmt in ("geojson", "csv", "gpkg", "fgb"):
        features = ogr_features(f"/vsicurl/{live_server.url}{url(territory, fmt)}")
        assert sorted(f["properties"]["insee"] for f in features) == insee, fmt


def test_what_is_not_published_is_not_found(client, published):
    other = TerritoryFactory(communes=1)  # no file written for it yet
    for path in (
        url(published, "shp"),
        url(published, "geojson", "nowhere"),
        url(published, "xlsx", "../communes"),
        url(other, "geojson"),
        "/donnees/12345/communes.geojson",
        "/donnees/../communes.geojson",
        f"/donnees/{published.siren}/communes",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
    assert client.post(url(published, "csv")).status_code == 405
    # Recorded but lost on disk (a refresh removing it meanwhile): not found, no 500.
    open_file_path(siren=published.siren, collection="communes", fmt="csv").unlink()
    assert client.get(url(published, "csv")).status_code == 404


def test_an_import_marks_the_files_stale_and_one_refresh_job_follows(
    django_capture_on_commit_callbacks, eager_tasks
):
    territory = TerritoryFactory(communes=1)
    cache.delete(tasks.STALE_KEY)
    assert tasks.open_files_stale_check_task() is False  # nothing to do
    with django_capture_on_commit_callbacks(execute=True):
        tileset_changed_announce("communes")
        tileset_changed_announce("zonage")  # a second import before beat looks
    assert cache.get(tasks.STALE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.open_files_stale_check_task() is True
    assert tasks.open_files_stale_check_task() is False  # once for both
    job = Job.objects.get(kind=tasks.JOB_KIND)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.report["datasets"] == [
        {
            "collection": "communes",
            "siren": territory.siren,
            "features": 1,
            "formats": ["geojson", "csv", "gpkg"],
            "changed": True,
        }
    ]
    assert open_file_path(siren=territory.siren, collection="communes", fmt="gpkg").exists()
    assert cache.get(tasks.RUNNING_KEY) is None


def test_a_plan_made_current_marks_the_files_stale():
    """A plan's import announces only its footprint on the zoning tiles (no whole
    change): the files hear the version made current."""
    version = DocumentVersionFactory()
    cache.delete(tasks.STALE_KEY)
    version_made_current.send(sender=DocumentVersion, version=version)
    assert cache.get(tasks.STALE_KEY)


def test_the_nightly_refresh_is_scheduled_and_reports_its_failures(
    django_capture_on_commit_callbacks, eager_tasks, monkeypatch
):
    from celery.schedules import crontab

    from carto_concertation.celery import app

    entries = {e["task"]: e["schedule"] for e in django_settings.CELERY_BEAT_SCHEDULE.values()}
    nightly = entries["carto_concertation.opendata.tasks.open_files_nightly_task"]
    assert isinstance(nightly, crontab) and nightly.hour == {django_settings.OPEN_DATA_REFRESH_HOUR}
    check = "carto_concertation.opendata.tasks.open_files_stale_check_task"
    assert entries[check] == django_settings.OPEN_DATA_REFRESH_DELAY
    assert {check, "carto_concertation.opendata.tasks.open_files_nightly_task"} <= set(app.tasks)

    TerritoryFactory(communes=1)
    from carto_concertation.opendata.catalogue import files

    def broken(arguments):
        raise files.OpenFileError("ogr2ogr: unable to open datasource")

    monkeypatch.setattr(files, "_ogr2ogr", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job_id = tasks.open_files_nightly_task()
    job = Job.objects.get(pk=job_id)
    assert job.status == Job.Status.FAILED
    assert "unable to open datasource" in job.message
    assert not OpenFile.objects.exists()


def test_a_refresh_waits_while_another_runs(eager_tasks, monkeypatch):
    job = Job.objects.create(kind=tasks.JOB_KIND, title="Fichiers", params={})
    cache.set(tasks.RUNNING_KEY, "another", timeout=60)
    later = []
    monkeypatch.setattr(
        tasks.open_files_refresh_task, "apply_async", lambda **kwargs: later.append(kwargs)
    )
    try:
        assert tasks.open_files_refresh_task(str(job.pk)) == {"postponed": True}
    finally:
        cache.delete(tasks.RUNNING_KEY)
    assert later == [{"args": [str(job.pk)], "countdown": 60}]
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING
