# SPDX-License-Identifier: AGPL-3.0-or-later
import subprocess

from celery import shared_task
from django.utils.translation import gettext as _

from carto_concertation.core.jobs import JobTask, job_finish, job_progress, job_started
from carto_concertation.core.models import Job

from .bilan import bilan_build


@shared_task(base=JobTask, autoretry_for=())
def bilan_task(job_id: str) -> dict:
    """Generate a bilan; a failure to print is recorded on the job with its reason, any
    other error as an unexpected one (JobTask), its details in the worker's log."""
    job = Job.objects.get(pk=job_id)
    job_started(job_id)
    try:
        report = bilan_build(
            concertation_id=job.params["concertation_id"],
            job_id=job_id,
            language=job.params.get("language", "fr"),
            progress=lambda percent, message: job_progress(job_id, percent, message),
        )
    except subprocess.SubprocessError:
        # The error names the browser's command line and the server's paths: it goes to
        # the worker's log (the task fails), the planner reads a plain message.
        job_finish(
            job_id,
            succeeded=False,
            message=_("The PDF could not be printed; the details are in the worker's log."),
            report={},
        )
        raise
    job_finish(
        job_id,
        succeeded=True,
        message=_("Bilan ready: %(maps)s maps, %(contributions)s contributions.") % report,
        report=report,
    )
    return report
