# SPDX-License-Identifier: AGPL-3.0-or-later
"""A PLUi import whose worker dies, or that runs past its time limit (issue 23, faults).

A real prefork worker (tests.conftest.fault_worker) is killed with SIGKILL while the
import writes its version in one transaction: nothing of it remains, and the version
that was current stays so.
"""

import time
import uuid

import psycopg
import pytest
from django.db import connection

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.services import role_grant
from carto_concertation.core.jobs import job_state, jobs_stalled_fail
from carto_concertation.core.models import Job
from plui_documents.models import DocumentVersion, UrbanDocument, Zone
from plui_documents.services import plui_import
from plui_documents.tasks import plui_import_task
from tests.factories import TerritoryFactory, UserFactory

from .conftest import TROIS_PROVINCES
from .test_jobs import wait_for, zipped_delivery

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

WRITING = 75  # the import's progress once it writes the new version, in one transaction


@pytest.fixture
def planner_client(client):
    planner = UserFactory(is_staff=True)
    role_grant(user=planner, role=Role.PLANNER, territory=TerritoryFactory(siren="241800432"))
    client.force_login(planner)
    return client


def upload(client, tmp_path) -> Job:
    response = client.post(
        "/admin/plui_documents/urbandocument/upload/", {"file": zipped_delivery(tmp_path)}
    )
    assert response.status_code == 302
    return Job.objects.latest("created_at")


def wait_writing(job: Job, attempt: int, worker, timeout: float = 60) -> None:
    """Until the given attempt at the job writes its version."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        state = job_state(job)
        if (
            job.attempts == attempt
            and state["status"] == "running"
            and state["progress"] >= WRITING
        ):
            return
        time.sleep(0.02)
    raise AssertionError(
        f"attempt {attempt} never reached {WRITING} %: {job_state(job)}\n{worker.log()}"
    )


def staging_tables(job: Job) -> list[str]:
    """The staging tables named after the job (layers.staging)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'staging' AND tablename LIKE %s",
            [f"s_%_{uuid.UUID(str(job.pk)).hex}_%"],
        )
        return [row[0] for row in cursor.fetchall()]


def finished(job: Job, worker, timeout: float = 60) -> Job:
    try:
        return wait_for(job.pk, timeout=timeout)
    except AssertionError as error:
        raise AssertionError(f"{error}\n{worker.log()}") from error


def test_a_worker_killed_mid_import_hands_the_job_back_and_it_succeeds(
    planner_client, tmp_path, fault_worker
):
    worker = fault_worker()
    job = upload(planner_client, tmp_path)

    wait_writing(job, attempt=1, worker=worker)
    assert staging_tables(job)  # what the killed attempt will leave
    worker.child_kill()

    job = finished(job, worker, timeout=120)
    assert job.status == Job.Status.SUCCEEDED, (job.message, job.report)
    assert job.attempts == 2
    assert staging_tables(job) == []  # dropped before the second attempt
    assert DocumentVersion.objects.count() == 1  # the killed attempt left nothing
    assert Zone.objects.count() == 221


def test_an_import_whose_worker_dies_twice_fails_with_the_reason_and_the_previous_version_stays(
    planner_client, tmp_path, fault_worker
):
    previous, _ = plui_import(path=TROIS_PROVINCES, analyse=False)
    zones = Zone.objects.count()
    worker = fault_worker()
    job = upload(planner_client, tmp_path)

    for attempt in (1, 2):
        wait_writing(job, attempt=attempt, worker=worker)
        assert staging_tables(job)
        worker.child_kill()

    job = finished(job, worker)
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Le worker qui effectuait cette tâche s’est arrêté")
    page = planner_client.get(f"/admin/core/job/{job.pk}/change/").content.decode()
    assert "s’est arrêté avant la fin" in page
    assert list(DocumentVersion.objects.all()) == [previous]
    assert UrbanDocument.objects.get().current_version == previous
    assert Zone.objects.count() == zones
    assert staging_tables(job) == []  # dropped when the job was given up


def test_a_whole_worker_killed_leaves_a_job_that_beat_fails_after_the_time_limit(
    planner_client, tmp_path, fault_worker, settings
):
    worker = fault_worker()
    job = upload(planner_client, tmp_path)
    wait_writing(job, attempt=1, worker=worker)

    worker.kill()
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING  # nobody is left to say otherwise
    assert staging_tables(job)

    settings.JOB_STALLED_AFTER = 1
    time.sleep(1.1)
    assert jobs_stalled_fail() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Le worker qui effectuait cette tâche s’est arrêté")
    assert not DocumentVersion.objects.exists()
    assert staging_tables(job) == []  # dropped when beat failed the job


def test_an_import_past_its_time_limit_fails_with_the_limit_named(
    planner_client, tmp_path, fault_worker, monkeypatch
):
    # The limits travel with the task, from the settings of the process that sends it.
    monkeypatch.setattr(plui_import_task, "soft_time_limit", 2)
    monkeypatch.setattr(plui_import_task, "time_limit", 8)
    monkeypatch.setattr(plui_import_task, "_exec_options", None)
    worker = fault_worker(CELERY_TASK_SOFT_TIME_LIMIT="2", CELERY_TASK_TIME_LIMIT="8")
    # Another session holds the versions' table (a long backup, a stuck query): the
    # import waits on it past its limit.
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute("LOCK TABLE plui_documents_documentversion IN ACCESS EXCLUSIVE MODE")
        job = upload(planner_client, tmp_path)
        job = finished(job, worker)

    assert job.status == Job.Status.FAILED, worker.log()
    assert job.message == "La tâche a duré plus de 2 secondes et a été arrêtée."
    assert not DocumentVersion.objects.exists()
    assert not Zone.objects.exists()
