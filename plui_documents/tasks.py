# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path

from celery import shared_task
from django.utils.translation import gettext as _

from carto_concertation.core.jobs import JobTask, job_finish, job_progress, job_started
from carto_concertation.core.models import Job
from layers.services import uploaded_folder_discard

from .services import PluiImportError, plui_import


@shared_task(
    base=JobTask, autoretry_for=()
)  # an import is not retried: its report says what to fix
def plui_import_task(job_id: str) -> dict:
    """Import the delivery a planner uploaded; progress and report go to the job."""
    job = Job.objects.get(pk=job_id)
    params = job.params
    try:
        job_started(job_id)
        version, report = plui_import(
            path=Path(params["path"]),
            idurba=params.get("idurba") or None,
            source_srid=params.get("source_srid") or None,
            user=job.created_by,
            origin=params.get("origin", {}),
            progress=lambda percent, message: job_progress(job_id, percent, message),
        )
    except PluiImportError as exc:
        job_finish(
            job_id,
            succeeded=False,
            message=_("Import refused: nothing was changed."),
            report=exc.report.as_dict(),
        )
        return exc.report.as_dict()
    finally:
        uploaded_folder_discard(Path(params["path"]))
    job_finish(
        job_id,
        succeeded=True,
        message=_("%(document)s: version %(number)s is now current.")
        % {"document": version.document, "number": version.number},
        report=report.as_dict(),
    )
    return report.as_dict()
