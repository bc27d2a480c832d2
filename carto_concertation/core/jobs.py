# SPDX-License-Identifier: AGPL-3.0-or-later
"""Jobs: create one, report its progress from the task, read where it stands."""

from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from carto_concertation.celery import RetryingTask

from .models import Job
from .outages import is_outage

PROGRESS_TTL = 24 * 3600


def _key(job_id) -> str:
    return f"job-progress:{job_id}"


def job_create(
    *, kind: str, title: str, params: dict, user=None, enqueue: Callable[[str], object]
) -> Job:
    """Record a job and hand its id to ``enqueue`` once the transaction has committed.

    A queue that cannot be reached (Redis away) leaves the job failed with the reason,
    not pending forever, and the error goes on to the request (core.outages: a 503)."""
    job = Job.objects.create(kind=kind, title=title[:255], params=params, created_by=user)
    transaction.on_commit(lambda: _enqueue(job, enqueue))
    return job


def _enqueue(job: Job, enqueue: Callable[[str], object]) -> None:
    try:
        enqueue(str(job.pk))
    except Exception as error:
        if not is_outage(error):
            raise
        message = _("The job queue was unavailable; start the job again.")
        job_finish(job.pk, succeeded=False, message=message, report={"errors": [message]})
        raise


def job_progress(job_id, percent: int, message: str) -> None:
    cache.set(_key(job_id), {"progress": percent, "message": str(message)[:300]}, PROGRESS_TTL)


def job_started(job_id) -> None:
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING)
    job_progress(job_id, 0, "")


def job_finish(job_id, *, succeeded: bool, message: str, report: dict) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED if succeeded else Job.Status.FAILED,
        progress=100 if succeeded else Job.objects.get(pk=job_id).progress,
        message=str(message)[:300],
        report=report,
        finished_at=timezone.now(),
    )
    cache.delete(_key(job_id))


def job_state(job: Job) -> dict:
    """Where a job stands: the live progress while it runs, the stored outcome after."""
    live = (
        cache.get(_key(job.pk)) if job.status in (Job.Status.PENDING, Job.Status.RUNNING) else None
    )
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "progress": live["progress"] if live else job.progress,
        "message": live["message"] if live else job.message,
        "report": job.report,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def job_visible_to(job: Job, user) -> bool:
    """A job is followed by its author; superusers and staff see every one."""
    return user.is_authenticated and (
        job.created_by_id == user.pk or user.is_staff or user.is_superuser
    )


class JobTask(RetryingTask):
    """Base of the tasks that carry out a job (their first argument is its id).

    A task reports the failures it expects (a refused import…) itself; an unexpected
    error would otherwise leave its job "running" for ever, with the page polling it.
    """

    failure_message = gettext_noop(
        "The job stopped on an unexpected error; the details are in the worker's log."
    )

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        job_id = kwargs.get("job_id") or (args[0] if args else None)
        unfinished = Job.objects.filter(
            pk=job_id, status__in=(Job.Status.PENDING, Job.Status.RUNNING)
        ).exists()
        if job_id and unfinished:
            message = _(
                "The job stopped on an unexpected error; the details are in the worker's log."
            )
            job_finish(job_id, succeeded=False, message=message, report={"errors": [message]})
