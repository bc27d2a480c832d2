# SPDX-License-Identifier: AGPL-3.0-or-later
"""The staging tables an import killed mid-way leaves (issue 23, faults).

The killed worker itself is in tests/plui_documents/test_job_faults.py; here, beat's
sweep and the drop when a job's attempt is given up, on tables made by hand.
"""

import uuid

import pytest
from django.conf import settings
from django.db import connection

from carto_concertation.core.jobs import jobs_stalled_fail
from carto_concertation.core.models import Job
from layers.staging import staging_orphans_drop
from layers.tasks import staging_orphans_drop_task
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def table_make(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE UNLOGGED TABLE staging.{name} (ogc_fid integer)")


def tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'staging'")
        return {row[0] for row in cursor.fetchall()}


def job_table(job_id, suffix: str = "a1") -> str:
    return f"j_{uuid.UUID(str(job_id)).hex}_{suffix}"


def test_the_sweep_drops_the_tables_of_jobs_that_no_longer_run():
    running = JobFactory(status=Job.Status.RUNNING)
    pending = JobFactory(status=Job.Status.PENDING)
    failed = JobFactory(status=Job.Status.FAILED)
    succeeded = JobFactory(status=Job.Status.SUCCEEDED)
    kept = {job_table(running.pk), job_table(pending.pk), "t_" + uuid.uuid4().hex}
    gone = {
        job_table(failed.pk),
        job_table(failed.pk, "b2"),
        job_table(succeeded.pk),
        job_table(uuid.uuid4()),  # a job since deleted
    }
    for name in kept | gone:
        table_make(name)

    assert set(staging_orphans_drop()) == gone
    assert tables() == kept


def test_beat_runs_the_sweep():
    table_make(job_table(JobFactory(status=Job.Status.FAILED).pk))
    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == staging_orphans_drop_task.name
    )
    assert entry["schedule"] <= 24 * 3600
    assert staging_orphans_drop_task.apply().get() == 1
    assert tables() == set()


def test_a_stalled_job_loses_its_tables_and_no_other(settings):
    settings.JOB_STALLED_AFTER = 0
    stalled = JobFactory(status=Job.Status.RUNNING, started_at="2020-01-01T00:00Z")
    other = JobFactory(status=Job.Status.PENDING)
    table_make(job_table(stalled.pk))
    table_make(job_table(other.pk))

    assert jobs_stalled_fail() == 1
    assert tables() == {job_table(other.pk)}
