# SPDX-License-Identifier: AGPL-3.0-or-later
"""The open files' refresh, as a core Job (the admin's job page shows its progress):
nightly, and after an import.

An import announces a whole tileset changed (core.changes); the receiver only marks the
files stale, in the cache — a write pays one Redis command, and sends no task. Beat
looks at the mark every OPEN_DATA_REFRESH_DELAY seconds and starts one refresh for all
the imports of that while (the mark is taken by whoever deletes it: one run). Two runs
never write at the same time (a lock held for the run); the nightly one catches up with
what a lost mark would have missed."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from carto_concertation.core.changes import TilesetChange
from carto_concertation.core.jobs import JobTask, job_create, job_finish, job_progress, job_started
from carto_concertation.core.models import Job

from .catalogue.files import OpenFileError, Written, open_files_refresh

logger = logging.getLogger(__name__)

JOB_KIND = "opendata_files"
STALE_KEY = "opendata:files-stale"
RUNNING_KEY = "opendata:files-refresh-running"
# A stale mark a stopped beat never took is forgotten after a day: the nightly run did it.
STALE_TTL = 24 * 3600


def open_files_refresh_start() -> Job:
    """A refresh of every open file, as a job, sent to a worker once committed."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Open data files")
    return job_create(
        kind=JOB_KIND,
        title=title,
        params={},
        enqueue=lambda job_id: open_files_refresh_task.delay(job_id),
    )


def tileset_changed_receiver(sender, change: TilesetChange, **kwargs) -> None:
    """An import (a whole tileset changed, committed): the files are stale."""
    if change.whole:
        cache.set(STALE_KEY, 1, timeout=STALE_TTL)


def plan_made_current_receiver(sender, version, **kwargs) -> None:
    """A plan version made current (committed): the zoning files are stale."""
    cache.set(STALE_KEY, 1, timeout=STALE_TTL)


@shared_task
def open_files_stale_check_task() -> bool:
    """Beat's frequent entry: a refresh when an import marked the files stale since."""
    if not cache.delete(STALE_KEY):
        return False
    open_files_refresh_start()
    return True


@shared_task
def open_files_nightly_task() -> str:
    """Beat's nightly entry."""
    cache.delete(STALE_KEY)
    return str(open_files_refresh_start().pk)


def _report(written: list[Written]) -> dict:
    return {
        "datasets": [
            {
                "collection": w.collection,
                "siren": w.siren,
                "features": w.features,
                "formats": list(w.formats),
                "changed": w.changed,
            }
            for w in written
            if w.features or w.changed
        ]
    }


@shared_task(base=JobTask, autoretry_for=())
def open_files_refresh_task(job_id: str) -> dict:
    """Write every open file; an error of ogr2ogr fails the job with its reason, any
    other fails it as unexpected (JobTask)."""
    # The mark held by this very job is that of an attempt whose worker died: its task
    # came back here, and waiting for the mark to expire would keep it "running" an hour.
    taken = cache.add(RUNNING_KEY, job_id, timeout=settings.CELERY_TASK_TIME_LIMIT)
    if not taken and cache.get(RUNNING_KEY) != job_id:
        # Another run is writing, and may have read the data before this change: this
        # one waits its turn.
        open_files_refresh_task.apply_async(args=[job_id], countdown=60)
        return {"postponed": True}
    try:
        job_started(job_id)
        with translation.override(settings.LANGUAGE_CODE):
            try:
                written = open_files_refresh(
                    progress=lambda percent, message: job_progress(job_id, percent, message)
                )
            except OpenFileError as error:
                logger.error("open data files: %s", error)
                message = _("The open data files could not be written: %(error)s") % {
                    "error": str(error)[:200]
                }
                job_finish(job_id, succeeded=False, message=message, report={"errors": [message]})
                return {"errors": [message]}
            report = _report(written)
            message = _("%(changed)d of %(count)d datasets changed") % {
                "changed": sum(1 for w in written if w.changed),
                "count": len(report["datasets"]),
            }
            job_finish(job_id, succeeded=True, message=message, report=report)
            return report
    finally:
        if cache.get(RUNNING_KEY) == job_id:
            cache.delete(RUNNING_KEY)
