# SPDX-License-Identifier: AGPL-3.0-or-later
"""“Download my data” as a job: the person asks on /accounts/data/, a Celery task
(tasks.data_export_task) builds the zip of accounts.export into a private folder, the
page follows its progress (core.jobs), and the person downloads it from a view that
answers its owner alone.

The archive holds personal data: it is written under MEDIA_ROOT/private/ (no URL serves
that folder; files 0600), kept DATA_EXPORT_KEEP_DAYS after it is ready, then swept by
beat (data_exports_sweep_task); asking again replaces it, and deleting the account
deletes it. One person has one job at a time: asking while one is waiting or running
answers that one.
"""

import os
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carto_concertation.core.audit import audit_origin
from carto_concertation.core.jobs import job_create
from carto_concertation.core.models import Job

from .export import user_data_zip
from .models import User

DATA_EXPORT_JOB = "accounts.data_export"
UNFINISHED = (Job.Status.PENDING, Job.Status.RUNNING)


def archive_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "data-exports"


def archive_path(job_id) -> Path:
    return archive_folder() / f"{job_id}.zip"


def _expiry_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.DATA_EXPORT_KEEP_DAYS)


def archive_expires_at(job: Job) -> datetime | None:
    """When a ready archive goes (None while it is not ready)."""
    if job.finished_at is None:
        return None
    return job.finished_at + timedelta(days=settings.DATA_EXPORT_KEEP_DAYS)


def _archive_jobs() -> QuerySet[Job]:
    return Job.objects.filter(kind=DATA_EXPORT_JOB)


def archive_job_current(*, user: User) -> Job | None:
    """The person's latest archive job not yet expired: waiting, running, ready or failed."""
    return (
        _archive_jobs()
        .filter(created_by=user)
        .filter(Q(status__in=UNFINISHED) | Q(finished_at__gt=_expiry_cutoff()))
        .order_by("-created_at")
        .first()
    )


def archive_ready(*, user: User, job_id) -> Job | None:
    """The job of the person's own ready, unexpired archive, its file there; None for
    anyone else's."""
    job = archive_job_current(user=user)
    if job is None or str(job.pk) != str(job_id) or job.status != Job.Status.SUCCEEDED:
        return None
    return job if archive_path(job.pk).exists() else None


@transaction.atomic
def archive_request(*, user: User) -> Job:
    """Ask for a new archive, or answer the one already waiting or running. A new one
    replaces the person's previous archive."""
    from .tasks import data_export_task

    # Two requests at once (a double click, two tabs) wait here for each other.
    User.objects.select_for_update().filter(pk=user.pk).first()
    running = _archive_jobs().filter(created_by=user, status__in=UNFINISHED).first()
    if running is not None:
        return running
    _jobs_delete(_archive_jobs().filter(created_by=user))
    return job_create(
        kind=DATA_EXPORT_JOB,
        title=_("Download my data"),
        params={"origin": audit_origin(), "language": translation.get_language()},
        user=user,
        enqueue=data_export_task.delay,
    )


def archive_write(
    *, job_id, user: User, origin: Mapping[str, str], progress: Callable[[int], None]
) -> int:
    """Build the person's zip into its private file (whole or not at all); its size."""
    content = user_data_zip(
        user=user,
        origin=origin,
        # The last percent is the writing of the file.
        progress=lambda done, total: progress(min(99, done * 100 // total)),
    )
    folder = archive_folder()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    path = archive_path(job_id)
    partial = path.with_suffix(".zip.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    partial.replace(path)
    return len(content)


def archives_erase(*, user: User) -> None:
    """Every archive job of the person and its file (account_erase)."""
    _jobs_delete(_archive_jobs().filter(created_by=user))


def archives_sweep(*, now: datetime | None = None) -> int:
    """Delete the archives past DATA_EXPORT_KEEP_DAYS (and jobs left waiting as long),
    then any file whose job is gone (an account deleted while its archive was being
    written). How many jobs went."""
    cutoff = _expiry_cutoff(now)
    expired = _archive_jobs().filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    count = _jobs_delete(expired)
    folder = archive_folder()
    if folder.is_dir():
        kept = {str(pk) for pk in _archive_jobs().values_list("pk", flat=True)}
        for path in folder.iterdir():
            if path.name.split(".")[0] not in kept:
                path.unlink(missing_ok=True)
    return count


def _jobs_delete(jobs: QuerySet[Job]) -> int:
    """Delete the jobs, and their files once the deletion is committed."""
    ids = [str(pk) for pk in jobs.values_list("pk", flat=True)]
    if not ids:
        return 0
    Job.objects.filter(pk__in=ids).delete()

    def unlink() -> None:
        for job_id in ids:
            archive_path(job_id).unlink(missing_ok=True)

    transaction.on_commit(unlink)
    return len(ids)
