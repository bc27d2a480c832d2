# SPDX-License-Identifier: AGPL-3.0-or-later
"""Jobs: create one, report its progress from the task, read where it stands."""

from collections.abc import Callable
from contextvars import ContextVar
from datetime import timedelta

from celery.exceptions import Ignore, SoftTimeLimitExceeded, TimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from carto_concertation.celery import RetryingTask

from .models import Job
from .outages import is_outage

PROGRESS_TTL = 24 * 3600

# An attempt at the job died with its worker (killed, out of memory, past its hard time
# limit): sent with ``job_id`` before the job is tried again or failed, so that what the
# attempt left outside its transaction (layers' staging tables) goes. Receivers must not
# raise: the job goes on whatever they do.
job_attempt_abandoned = Signal()

# The job the task running in this process carries out (JobTask), for the scratch
# objects it makes to be named after it (layers.staging).
_running_job: ContextVar[str | None] = ContextVar("running_job", default=None)


def job_running() -> str | None:
    """The id of the job this task carries out, None outside one."""
    return _running_job.get()


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


def _worker_lost_message() -> str:
    return _(
        "The worker carrying out this job stopped before the end (it may have run out of"
        " memory); the job was given up and what it was writing was not kept. Start it"
        " again, or tell the administrator."
    )


def job_started(job_id) -> None:
    """Mark the job running, from the task that carries it out.

    With late acknowledgement, a task whose worker died comes back: a job already
    finished is not done twice, and one that workers died on JOB_MAX_ATTEMPTS times
    fails instead of killing the next worker. ``Ignore`` ends the task quietly.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED):
            raise Ignore()
        abandoned = job.status == Job.Status.RUNNING  # a previous attempt died
        given_up = job.attempts >= settings.JOB_MAX_ATTEMPTS
        if not given_up:
            job_progress(job_id, 0, "")  # not the progress of an attempt that died
            job.status = Job.Status.RUNNING
            job.attempts += 1
            job.started_at = timezone.now()
            job.save(update_fields=["status", "attempts", "started_at"])
    if abandoned:
        job_attempt_abandoned.send(sender=Job, job_id=str(job_id))
    if given_up:
        job_finish(job_id, succeeded=False, message=_worker_lost_message(), report={})
        raise Ignore()


def jobs_stalled_fail() -> int:
    """Fail the jobs still "running" past the hard time limit (JOB_STALLED_AFTER): their
    worker died with them (a whole worker killed hands its task back only after the broker's visibility
    timeout). Returns how many."""
    limit = timezone.now() - timedelta(seconds=settings.JOB_STALLED_AFTER)
    stalled = list(
        Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=limit).values_list(
            "pk", flat=True
        )
    )
    for job_id in stalled:
        job_attempt_abandoned.send(sender=Job, job_id=str(job_id))
        job_finish(job_id, succeeded=False, message=_worker_lost_message(), report={})
    return len(stalled)


def _duration(seconds: int) -> str:
    if seconds % 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = seconds // 60
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


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

    def __call__(self, *args, **kwargs):
        job_id = kwargs.get("job_id") or (args[0] if args else None)
        token = _running_job.set(str(job_id) if job_id else None)
        try:
            return super().__call__(*args, **kwargs)
        finally:
            _running_job.reset(token)

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        job_id = kwargs.get("job_id") or (args[0] if args else None)
        unfinished = Job.objects.filter(
            pk=job_id, status__in=(Job.Status.PENDING, Job.Status.RUNNING)
        ).exists()
        if job_id and unfinished:
            if isinstance(exc, TimeLimitExceeded):
                # The pool killed the process: nothing of the attempt cleaned up after it.
                job_attempt_abandoned.send(sender=Job, job_id=str(job_id))
            if isinstance(exc, (SoftTimeLimitExceeded, TimeLimitExceeded)):
                # The limits travel with the task (from its sender's settings); the
                # worker's own apply when the pool stops a task by force.
                sent = self.request.timelimit or (None, None)
                limit = sent[1] or self.soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT
                message = _("The job took longer than %(duration)s and was stopped.") % {
                    "duration": _duration(int(limit))
                }
            else:
                message = _(
                    "The job stopped on an unexpected error; the details are in the worker's log."
                )
            job_finish(job_id, succeeded=False, message=message, report={"errors": [message]})
