# SPDX-License-Identifier: AGPL-3.0-or-later
"""A bilan whose worker is killed while it prints the PDF (issue 23, faults): the task
comes back to the queue and the bilan is made again, whole; a bilan that fails or is
given up mid-way leaves no file, and the previous one is still served."""

import time
from pathlib import Path

import pytest
from django.conf import settings

from carto_concertation.contributions.planning.bilan import bilan_path
from carto_concertation.contributions.planning.tasks import bilan_task
from carto_concertation.core.jobs import job_state
from carto_concertation.core.models import Job
from tests.factories import JobFactory
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


# A Chromium that starts the PDF, then fails (``exit 1``) or hangs (``sleep``).
HALF_PRINTING = """#!/bin/sh
for arg; do case "$arg" in --print-to-pdf=*) out="${arg#--print-to-pdf=}";; esac; done
printf '%%PDF-1.4 half' > "$out"
%s
"""


def chromium_fake(tmp_path: Path, then: str) -> str:
    script = tmp_path / "chromium"
    script.write_text(HALF_PRINTING % then)
    script.chmod(0o755)
    return str(script)


def previous_bilan(concertation) -> Job:
    """A bilan made before, its files in place."""
    job = JobFactory(
        kind="bilan",
        status=Job.Status.SUCCEEDED,
        params={"concertation_id": concertation.pk, "language": "fr"},
    )
    for fmt, content in (("html", "<!DOCTYPE html><p>avant</p>"), ("pdf", "%PDF-1.4 avant")):
        path = bilan_path(job_id=str(job.pk), fmt=fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return job


def files_of(job: Job) -> list[str]:
    directory = Path(settings.MEDIA_ROOT) / "bilans"
    return sorted(path.name for path in directory.iterdir() if str(job.pk) in path.name)


def served(client, concertation, job: Job) -> tuple[int, bytes]:
    answer = client.get(f"/api/v1/concertations/{concertation.slug}/bilans/{job.pk}/pdf")
    if answer.status_code != 200:
        return answer.status_code, b""
    return answer.status_code, b"".join(answer.streaming_content)


def test_a_bilan_failing_while_printing_leaves_no_file_and_the_previous_one_served(
    client, concertation, settings, tmp_path
):
    build_world(concertation)
    previous = previous_bilan(concertation)
    settings.BILAN_CHROMIUM = chromium_fake(tmp_path, "exit 1")
    job = JobFactory(kind="bilan", params={"concertation_id": concertation.pk, "language": "fr"})

    assert bilan_task.apply(args=[str(job.pk)]).failed()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert files_of(job) == []  # neither the HTML nor the half PDF
    client.force_login(demo_user("urbanisme@demo.invalid"))
    assert served(client, concertation, job)[0] == 404
    assert served(client, concertation, previous) == (200, b"%PDF-1.4 avant")


def test_a_bilan_given_up_after_its_worker_died_printing_leaves_no_file(
    client, concertation, fault_worker, tmp_path
):
    build_world(concertation)
    previous = previous_bilan(concertation)
    worker = fault_worker(BILAN_CHROMIUM=chromium_fake(tmp_path, "sleep 60"), JOB_MAX_ATTEMPTS="1")
    client.force_login(demo_user("urbanisme@demo.invalid"))
    base = f"/api/v1/concertations/{concertation.slug}/bilans/"
    job = Job.objects.get(pk=client.post(base, {}, content_type="application/json").json()["id"])

    deadline = time.monotonic() + 120
    while not any("pdf" in name for name in files_of(job)):  # the PDF half printed
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.02)
    worker.child_kill()

    state, _seen = follow(client, str(job.pk))
    assert state["status"] == "failed", (state, worker.log())
    assert files_of(job) == []
    assert served(client, concertation, job)[0] == 404
    assert served(client, concertation, previous) == (200, b"%PDF-1.4 avant")
