# SPDX-License-Identifier: AGPL-3.0-or-later
from celery import shared_task
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from carto_concertation.core.jobs import JobTask, job_finish, job_progress, job_started
from carto_concertation.core.models import Job

from .models import Workshop
from .printmap import DPI, sheet_encode, sheet_path, workshop_sheet_render


@shared_task(base=JobTask, autoretry_for=())
def workshop_print_map_task(job_id: str) -> dict:
    """Draw a workshop's A3 sheet and keep it for its download (the job's report says
    where it stands)."""
    job = Job.objects.get(pk=job_id)
    job_started(job_id)
    fmt = job.params["format"]
    # The sheet speaks the language of the person who asked for it.
    with translation.override(job.params.get("language", settings.LANGUAGE_CODE)):
        return _print(job_id, job, fmt)


def _print(job_id: str, job: Job, fmt: str) -> dict:
    # An error here fails the job for the person waiting on it (JobTask); the worker logs it.
    workshop = Workshop.objects.select_related("commune", "concertation__plui_document").get(
        pk=job.params["workshop_id"]
    )
    sheet = workshop_sheet_render(
        workshop=workshop,
        progress=lambda percent, message: job_progress(job_id, percent, message),
    )
    path = sheet_path(job_id, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(sheet_encode(sheet, fmt))
    report = {
        "format": fmt,
        "width": sheet.pages[0].width,
        "height": sheet.pages[0].height,
        "pages": len(sheet.pages),
        "ideas": len(sheet.labels),
        "dpi": DPI,
    }
    job_finish(job_id, succeeded=True, message=_("The workshop map is ready."), report=report)
    return report
