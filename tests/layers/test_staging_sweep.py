# SPDX-License-Identifier: AGPL-3.0-or-later
"""The staging tables an import killed mid-way leaves (issue 23, faults).

The killed worker itself is in tests/plui_documents/test_job_faults.py; here, the one
rule of their names, beat's sweep and the drop when a job's attempt is given up, on
tables made by hand.
"""

import importlib
import json
import time
import uuid
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection

from carto_concertation.core.jobs import jobs_stalled_fail
from carto_concertation.core.models import Job
from layers.staging import NO_JOB, TABLE_NAME, staged_layer, staging_orphans_drop
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


def job_table(job_id, suffix: str = "a1", *, age: float = 0) -> str:
    """A table named by layers.staging's rule, ``age`` seconds old."""
    return f"s_{int(time.time() - age):010d}_{uuid.UUID(str(job_id)).hex}_{suffix:0>12}"


def test_the_sweep_drops_the_tables_of_jobs_that_no_longer_run():
    running = JobFactory(status=Job.Status.RUNNING)
    pending = JobFactory(status=Job.Status.PENDING)
    failed = JobFactory(status=Job.Status.FAILED)
    succeeded = JobFactory(status=Job.Status.SUCCEEDED)
    kept = {job_table(running.pk, age=7 * 86400), job_table(pending.pk)}
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


@pytest.mark.django_db(transaction=True)
def test_an_import_outside_a_job_names_its_table_by_the_same_rule(tmp_path):
    source = tmp_path / "one.geojson"
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
    }
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    before = int(time.time())
    with staged_layer(str(source), source_srid=4326) as staged:
        match = TABLE_NAME.match(staged.name)
        assert match, staged.name
        assert before <= int(match[1]) <= time.time()
        assert uuid.UUID(match[2]) == NO_JOB
        assert tables() == {staged.name}
    assert tables() == set()


def test_the_sweep_drops_a_table_of_no_job_once_older_than_any_import(settings):
    settings.STAGING_TABLE_MAX_AGE = 3600
    killed = job_table(NO_JOB, age=3700)  # a command's import killed an hour ago
    importing = job_table(NO_JOB, age=3500)  # a command's import still running
    table_make(killed)
    table_make(importing)

    assert staging_orphans_drop() == [killed]
    assert tables() == {importing}


def test_tables_of_the_earlier_names_take_the_rule_and_are_swept(settings):
    settings.STAGING_TABLE_MAX_AGE = 0
    running = JobFactory(status=Job.Status.RUNNING)
    legacy_job = f"j_{uuid.UUID(str(running.pk)).hex}_0123456789ab"
    legacy = "t_" + uuid.uuid4().hex
    for name in (legacy_job, legacy):
        table_make(name)
    migration = importlib.import_module("layers.migrations.0004_staging_tables_named_by_one_rule")

    migration.rename(None, SimpleNamespace(connection=connection))

    renamed = {TABLE_NAME.match(name)[2]: name for name in tables()}
    assert set(renamed) == {running.pk.hex, NO_JOB.hex}
    time.sleep(1.1)  # older than the max age of 0 s
    assert staging_orphans_drop() == [renamed[NO_JOB.hex]]
    assert tables() == {renamed[running.pk.hex]}
