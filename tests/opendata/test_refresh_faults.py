# SPDX-License-Identifier: AGPL-3.0-or-later
"""The open files' refresh (an export) whose worker is killed mid-way (issue 23, faults):
its task comes back and, though its own "running" mark is still in Redis, runs again to
the end instead of waiting for the mark to expire."""

import time

import pytest

from carto_concertation.core.jobs import job_state
from carto_concertation.core.models import Job
from carto_concertation.opendata.models import OpenFile
from carto_concertation.opendata.tasks import open_files_refresh_start
from tests.factories import TerritoryFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_worker_killed_mid_export_hands_it_back_and_it_finishes(fault_worker):
    territories = [TerritoryFactory(communes=2) for _ in range(4)]
    worker = fault_worker()
    job = open_files_refresh_start()

    deadline = time.monotonic() + 120
    while not (job_state(job)["status"] == "running" and job_state(job)["progress"] > 0):
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.02)
        job.refresh_from_db()
    worker.child_kill()

    deadline = time.monotonic() + 120
    while job.status not in (Job.Status.SUCCEEDED, Job.Status.FAILED):
        assert time.monotonic() < deadline, (job_state(job), worker.log())
        time.sleep(0.3)
        job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, (job.message, worker.log())
    assert job.attempts == 2
    assert {r.territory_id for r in OpenFile.objects.filter(collection="communes")} == {
        t.pk for t in territories
    }
