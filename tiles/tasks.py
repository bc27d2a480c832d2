# SPDX-License-Identifier: AGPL-3.0-or-later
from collections.abc import Callable

from celery import shared_task
from django.utils.translation import gettext as _

from carto_concertation.core.jobs import JobTask, job_finish, job_progress, job_started
from carto_concertation.core.models import Job

from .services import offline_package_build
from .warming import tiles_warm_queue, tiles_warm_run


@shared_task(base=JobTask, autoretry_for=())
def offline_package_task(job_id: str) -> dict:
    job = Job.objects.get(pk=job_id)
    job_started(job_id)
    report = offline_package_build(
        concertation_id=job.params["concertation_id"],
        job_id=job_id,
        minzoom=job.params.get("minzoom", 10),
        maxzoom=job.params.get("maxzoom", 16),
        progress=lambda percent, message: job_progress(job_id, percent, message),
    )
    job_finish(job_id, succeeded=True, message=_("%(tiles)s tiles ready.") % report, report=report)
    return report


@shared_task(base=JobTask, autoretry_for=())
def tiles_warm_task(job_id: str) -> dict:
    """Warm the tile cache (tiles.warming); a job stopped by a version that moved queues
    the next one, which warms the new version."""
    return tiles_warm_job(job_id)


def tiles_warm_job(job_id: str, *, on_tile: Callable[[int], None] | None = None) -> dict:
    """The warm task's work; ``on_tile(done)`` is told of each tile made (the tests move
    a version there)."""
    job = Job.objects.get(pk=job_id)
    job_started(job_id)
    params = job.params
    shown = {"percent": -1}

    def progress(done: int, total: int) -> None:
        if on_tile is not None:
            on_tile(done)
        percent = done * 100 // max(total, 1)
        if percent != shown["percent"]:  # one write to Redis per percent, not per tile
            shown["percent"] = percent
            job_progress(
                job_id, percent, _("%(done)s of %(total)s tiles") % {"done": done, "total": total}
            )

    report = tiles_warm_run(
        territory_id=params["territory_id"],
        reason=params["reason"],
        space_id=params.get("space_id"),
        progress=progress,
    )
    if report["stopped"]:
        message = _("Stopped: the map changed meanwhile; a new job warms it.")
    else:
        message = _("%(tiles)s tiles in the cache.") % report
        if report["left_out"]:
            message += " " + _("%(left_out)s more left to the first request.") % report
    job_finish(job_id, succeeded=True, message=message, report=report)
    if report["stopped"]:
        tiles_warm_queue(
            territory_id=params["territory_id"],
            reason=params["reason"],
            space_id=params.get("space_id"),
            user=job.created_by,
        )
    return report
