# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tasks through a real worker process, on the real broker and the test database."""

import time

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from carto_concertation.celery import TRANSIENT_ERRORS, app
from carto_concertation.core.jobs import JobTask
from carto_concertation.core.models import Job
from carto_concertation.territories.models import Territory
from carto_concertation.territories.services import commune_save
from carto_concertation.territories.tasks import territory_refresh_outline_task
from tests.factories import CommuneFactory, TerritoryFactory, square
from tiles.tasks import offline_package_task

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_celery_is_configured_for_json_bounded_retried_tasks():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0
    assert app.conf.task_acks_late is True
    task = app.tasks[territory_refresh_outline_task.name]
    assert task.autoretry_for == TRANSIENT_ERRORS
    assert task.max_retries == 5


def test_a_task_runs_in_the_worker_and_writes_to_the_database(celery_worker):
    territory = TerritoryFactory(geom=square(0, size=100))
    CommuneFactory(territory=territory, geom=square(0))
    CommuneFactory(territory=territory, geom=square(1))

    result = territory_refresh_outline_task.delay(territory.pk).get(timeout=30)

    assert result["territory"] == territory.siren
    assert result["area_km2"] == pytest.approx(50.0)
    territory.refresh_from_db()
    assert territory.geom.area == pytest.approx(2 * 5000 * 5000)


def test_moving_a_commune_refreshes_both_outlines_after_commit(celery_worker):
    left = TerritoryFactory(geom=square(0, size=100))
    right = TerritoryFactory(geom=square(5, size=100))
    CommuneFactory(territory=left, geom=square(0))
    moving = CommuneFactory(territory=left, geom=square(1))
    CommuneFactory(territory=right, geom=square(5))

    previous = moving.territory_id
    moving.territory = right
    commune_save(commune=moving, previous_territory_id=previous)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        areas = {t.pk: t.geom.area for t in Territory.objects.all()}
        if areas[left.pk] > 1e6 and areas[right.pk] > 3e7:
            break
        time.sleep(0.2)
    assert areas[left.pk] == pytest.approx(25e6)
    assert areas[right.pk] == pytest.approx(50e6)


def test_a_job_whose_task_fails_unexpectedly_is_marked_failed(celery_worker):
    # A package of a concertation that no longer exists: nothing in the task expects it.
    job = Job.objects.create(kind="offline-package", title="x", params={"concertation_id": 0})

    with pytest.raises(Exception, match="does not exist"):
        offline_package_task.delay(str(job.pk)).get(timeout=30)

    # The worker stores the task's result before it calls the failure handler.
    for _ in range(100):
        job.refresh_from_db()
        if job.status != Job.Status.RUNNING:
            break
        time.sleep(0.1)
    assert job.status == Job.Status.FAILED
    with translation.override(settings.LANGUAGE_CODE):  # the worker's language
        assert job.message == gettext(JobTask.failure_message)
    assert job.finished_at is not None
