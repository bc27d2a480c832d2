# SPDX-License-Identifier: AGPL-3.0-or-later
"""Beat generalises the current versions left without their small-scale zoning (an
upgrade emptied it), a job each, once: nobody has to run ``generalise_zoning``."""

import pytest
from django.conf import settings

from carto_concertation.core.models import Job
from plui_documents import tasks
from plui_documents.models import GENERALISED_BANDS, GeneralisedZone
from plui_documents.services import plui_import
from tests.factories.core import JobFactory
from tiles import cache as tile_cache

from .conftest import TROIS_PROVINCES
from .test_generalise import not_generalised, tiles_over

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def version_without_bands():
    version, _report = plui_import(path=TROIS_PROVINCES, analyse=False)
    not_generalised(version)
    return version


def test_beat_runs_it_hourly():
    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == tasks.zoning_generalise_missing_task.name
    )
    assert entry["schedule"] <= 3600


def test_beat_generalises_a_version_without_bands_and_makes_its_tiles_stale(
    version_without_bands, client, eager_tasks, django_assert_num_queries
):
    version = version_without_bands
    x, y = tiles_over(version, 10)[0]
    client.get(f"/tiles/zoning/10/{x}/{y}.mvt")
    key, cached = tile_cache.tile_lookup("zoning", 10, x, y)
    assert cached is not None

    assert tasks.zoning_generalise_missing_task.apply().get() == 1

    job = Job.objects.get(kind=tasks.GENERALISE_KIND)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.params == {"version_id": version.pk}
    rows = GeneralisedZone.objects.filter(version=version).count()
    assert job.report == {"rows": rows}
    assert 0.9 * len(GENERALISED_BANDS) * version.zones.count() <= rows
    new_key, new_cached = tile_cache.tile_lookup("zoning", 10, x, y)
    assert new_key != key and new_cached is None
    # Done: the next hour only looks, and leaves the version and its tiles alone.
    with django_assert_num_queries(1):
        assert tasks.zoning_generalise_missing_task.apply().get() == 0
    assert Job.objects.filter(kind=tasks.GENERALISE_KIND).count() == 1
    assert tile_cache.tile_lookup("zoning", 10, x, y)[0] == new_key


def test_a_version_waiting_for_its_job_is_not_queued_twice(version_without_bands, eager_tasks):
    waiting = JobFactory(
        kind=tasks.GENERALISE_KIND,
        status=Job.Status.PENDING,
        params={"version_id": version_without_bands.pk},
    )
    assert tasks.zoning_generalise_missing_task.apply().get() == 0
    assert list(Job.objects.filter(kind=tasks.GENERALISE_KIND)) == [waiting]
    waiting.status = Job.Status.FAILED
    waiting.save()
    # A failed one is tried again the next hour.
    assert tasks.zoning_generalise_missing_task.apply().get() == 1
    assert Job.objects.exclude(pk=waiting.pk).get(kind=tasks.GENERALISE_KIND).report["rows"]


def test_a_job_for_a_version_generalised_meanwhile_writes_nothing(version_without_bands):
    version = version_without_bands
    first = JobFactory(kind=tasks.GENERALISE_KIND, params={"version_id": version.pk})
    second = JobFactory(kind=tasks.GENERALISE_KIND, params={"version_id": version.pk})
    tasks.zoning_generalise_task.apply(args=[str(first.pk)]).get()
    written = set(GeneralisedZone.objects.filter(version=version).values_list("pk", flat=True))
    assert written

    assert tasks.zoning_generalise_task.apply(args=[str(second.pk)]).get() == {"rows": 0}

    second.refresh_from_db()
    assert second.status == Job.Status.SUCCEEDED
    assert set(GeneralisedZone.objects.filter(version=version).values_list("pk", flat=True)) == (
        written
    )
