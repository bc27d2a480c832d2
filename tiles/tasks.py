# SPDX-License-Identifier: AGPL-3.0-or-later
from celery import shared_task
from django.utils.translation import gettext as _

from carto_concertation.core.jobs import JobTask, job_finish, job_progress, job_started
from carto_concertation.core.models import Job

from .services import offline_package_build


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
