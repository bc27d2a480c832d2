# SPDX-License-Identifier: AGPL-3.0-or-later
"""A bilan whose worker is killed while it prints the PDF (issue 23, faults): the task
comes back to the queue and the bilan is made again, whole."""

import time

import pytest

from carto_concertation.core.jobs import job_state
from carto_concertation.core.models import Job
from tests.worlds import demo_user

from .conftest import build_world
from .test_bilan import follow

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

PRINTING = 80  # the bilan's progress once Chromium prints its PDF


def test_a_worker_killed_while_printing_the_bilan_hands_it_back_and_it_is_made_whole(
    client, concertation, fault_worker
):
    build_world(concertation)
    worker = fault_worker()
    client.force_login(demo_user("urbanisme@demo.invalid"))
    base = f"/api/v1/concertations/{concertation.slug}/bilans/"
    job = Job.objects.get(pk=client.post(base, {}, content_type="application/json").json()["id"])

    deadline = time.monotonic() + 120
    while job_state(job)["progress"] < PRINTING or job_state(job)["status"] != "running":
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.02)
        job.refresh_from_db()
    worker.child_kill()

    state, _seen = follow(client, str(job.pk))
    assert state["status"] == "succeeded", (state, worker.log())
    job.refresh_from_db()
    assert job.attempts == 2
    listed = client.get(base).json()
    assert [entry["id"] for entry in listed] == [str(job.pk)]
    pdf = client.get(listed[0]["downloads"]["pdf"].replace("http://testserver", ""))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
