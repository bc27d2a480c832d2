# SPDX-License-Identifier: AGPL-3.0-or-later
"""“Download my data” as a job (accounts.archives): one job at a time per person, the
archive its owner's alone and private on disk, swept after DATA_EXPORT_KEEP_DAYS, gone
with the account. The journey in a browser, with the real worker, is
tests/e2e/test_my_data_journey.py; the archive's content, tests/accounts/test_gdpr.py."""

import stat
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from carto_concertation.accounts.archives import DATA_EXPORT_JOB, archive_path, archives_sweep
from carto_concertation.celery import app as celery_app
from carto_concertation.core.models import Job
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

from .conftest import fresh_ip
from .my_data import my_data_archive

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=fresh_ip())
    client.force_login(user)
    return client


def archive_jobs():
    return Job.objects.filter(kind=DATA_EXPORT_JOB)


def test_asking_twice_while_it_waits_starts_one_job_and_the_page_shows_where_it_stands():
    person = UserFactory()
    client = signed_in(person)
    page = client.get("/accounts/data/").content.decode()
    assert "Prepare my archive" in page and "<progress" not in page
    for _ in range(2):
        asked = client.post("/accounts/data/")
        assert asked.status_code == 302 and asked.url == "/accounts/data/"
    (job,) = archive_jobs()
    assert job.created_by == person and job.status == Job.Status.PENDING
    assert job.params["language"] == "en"

    page = client.get("/accounts/data/").content.decode()
    assert '<progress id="job-progress" max="100" value="0">' in page
    assert "Waiting for the server to start it…" in page
    # Without JavaScript, a link reloads the page; with it, the page module follows the job.
    assert 'href="/accounts/data/">Refresh this page</a>' in page
    assert f'"jobUrl": "/api/v1/jobs/{job.pk}/"' in page and "common/job.js" in page
    assert "Prepare my archive" not in page and 'id="job-download"' not in page


def test_the_archive_is_private_on_disk_and_its_owner_s_alone(settings):
    owner, other = UserFactory(), UserFactory()
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = signed_in(owner)
    my_data_archive(client)
    (job,) = archive_jobs()
    path = archive_path(job.pk)
    # Under MEDIA_ROOT/private/, which no URL serves; readable by the server's account alone.
    assert path.parent == Path(settings.MEDIA_ROOT) / "private" / "data-exports"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert job.report["bytes"] == path.stat().st_size

    url = f"/accounts/data/{job.pk}/"
    assert signed_in(other).get(url).status_code == 404
    assert signed_in(staff).get(url).status_code == 404  # not even an administrator
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith("/accounts/login/")
    # Another person does not follow it either.
    assert signed_in(other).get(f"/api/v1/jobs/{job.pk}/").status_code == 403
    assert client.get(url).status_code == 200


def test_the_page_says_how_long_the_archive_is_kept_and_offers_a_new_one():
    client = signed_in(UserFactory())
    my_data_archive(client)
    (job,) = archive_jobs()
    page = client.get("/accounts/data/").content.decode()
    assert "you alone may download it, for 7 days, after which it is deleted" in page
    kept_until = timezone.localtime(job.finished_at + timedelta(days=7))
    assert f"kept until {date_format(kept_until, 'DATETIME_FORMAT')})" in page
    assert "Prepare a new archive" in page


def test_asking_again_replaces_the_archive(django_capture_on_commit_callbacks):
    client = signed_in(UserFactory())
    my_data_archive(client)
    (first,) = archive_jobs()
    assert archive_path(first.pk).exists()
    with django_capture_on_commit_callbacks() as callbacks:
        client.post("/accounts/data/")
    (second,) = archive_jobs()
    assert second.pk != first.pk and second.status == Job.Status.PENDING
    callbacks[0]()  # the first file deleted once committed (the second enqueues the job)
    assert not archive_path(first.pk).exists()
    assert client.get(f"/accounts/data/{first.pk}/").status_code == 404


def test_a_failed_job_says_so_and_may_be_asked_again():
    person = UserFactory()
    client = signed_in(person)
    client.post("/accounts/data/")
    archive_jobs().update(
        status=Job.Status.FAILED, message="Plus de place.", finished_at=timezone.now()
    )
    page = client.get("/accounts/data/").content.decode()
    assert "It failed: Plus de place." in page and "Prepare a new archive" in page


def test_the_archives_past_their_days_are_swept(settings, django_capture_on_commit_callbacks):
    settings.DATA_EXPORT_KEEP_DAYS = 3
    old, recent = signed_in(UserFactory()), signed_in(UserFactory())
    my_data_archive(old)
    (expired,) = archive_jobs()
    my_data_archive(recent)
    kept = archive_jobs().exclude(pk=expired.pk).get()
    archive_jobs().filter(pk=expired.pk).update(
        finished_at=timezone.now() - timedelta(days=3, minutes=1)
    )
    # Expired, it is neither offered nor served, even before the sweep.
    assert 'id="job-download"' not in old.get("/accounts/data/").content.decode()
    assert old.get(f"/accounts/data/{expired.pk}/").status_code == 404
    # A file left by an account deleted while its archive was being written.
    orphan = archive_path("00000000-0000-0000-0000-000000000000")
    orphan.write_bytes(b"PK")

    with django_capture_on_commit_callbacks(execute=True):
        assert archives_sweep() == 1
    assert list(archive_jobs()) == [kept]
    assert not archive_path(expired.pk).exists() and not orphan.exists()
    assert archive_path(kept.pk).exists()
    assert recent.get(f"/accounts/data/{kept.pk}/").status_code == 200


def test_beat_sweeps_them_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-data-exports-sweep"]
    assert entry["schedule"] == 3600
    assert entry["task"] in celery_app.tasks


def test_deleting_the_account_deletes_its_archive(django_capture_on_commit_callbacks):
    person = UserFactory()
    client = signed_in(person)
    my_data_archive(client)
    (job,) = archive_jobs()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not archive_jobs().exists()
    assert not archive_path(job.pk).exists()
