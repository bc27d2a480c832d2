# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path

from celery import shared_task
from django.utils.translation import gettext as _

from carto_concertation.core.jobs import JobTask, job_finish, job_progress, job_started
from carto_concertation.core.models import Job

from . import services
from .sources import SourceError
from .staging import staging_orphans_drop


@shared_task(base=JobTask, autoretry_for=())
def raster_layer_process_task(job_id: str) -> dict:
    job = Job.objects.get(pk=job_id)
    job_started(job_id)
    job_progress(job_id, 10, _("Converting to a cloud-optimized GeoTIFF"))
    try:
        layer = services.raster_layer_process(layer_id=job.params["layer_id"])
    except SourceError as exc:
        job_finish(job_id, succeeded=False, message=str(exc), report={"errors": [str(exc)]})
        return {"errors": [str(exc)]}
    report = {
        "layer": layer.name,
        "source_crs": layer.source_crs,
        "zooms": [layer.minzoom, layer.maxzoom],
    }
    job_finish(
        job_id,
        succeeded=True,
        message=_("Raster layer %(name)s is ready.") % {"name": layer.title},
        report=report,
    )
    return report


@shared_task(base=JobTask, autoretry_for=())
def context_layer_import_task(job_id: str) -> dict:
    job = Job.objects.get(pk=job_id)
    job_started(job_id)
    params = job.params
    path = Path(params["path"])
    job_progress(job_id, 10, _("Loading %(name)s") % {"name": path.name})
    try:
        layer = services.context_layer_import(
            path=path,
            title=params["title"],
            attribution=params["attribution"],
            fields=params.get("fields") or None,
            source_srid=params.get("source_srid") or None,
            user=job.created_by,
        )
    except (SourceError, services.ValidationError) as exc:
        message = "; ".join(getattr(exc, "messages", [str(exc)]))
        job_finish(job_id, succeeded=False, message=message, report={"errors": [message]})
        return {"errors": [message]}
    finally:
        services.uploaded_folder_discard(path)
    report = {
        "layer": layer.name,
        "features": layer.feature_count,
        "geometry_type": layer.geometry_type,
    }
    job_finish(
        job_id,
        succeeded=True,
        message=_("Context layer %(name)s is ready.") % {"name": layer.title},
        report=report,
    )
    return report


@shared_task
def staging_orphans_drop_task() -> int:
    """The staging tables of jobs that no longer run (layers.staging): beat's sweep."""
    return len(staging_orphans_drop())
