# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from carto_concertation.core.jobs import JobTask, job_create, job_finish, job_progress, job_started
from carto_concertation.core.models import Job
from layers.services import uploaded_folder_discard

from .generalise import zoning_generalise
from .models import DocumentVersion, GeneralisedZone
from .selectors import versions_to_generalise
from .services import PluiImportError, plui_import

GENERALISE_KIND = "plui_generalise"


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


def _advisory_lock(key: str) -> None:
    """Held until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def zoning_generalise_start(version: DocumentVersion) -> Job | None:
    """A job generalising the version's zoning, sent to a worker once committed; None when
    one waits or runs for it already."""
    with transaction.atomic():
        # Two beats (or a beat late by a whole run) must not both queue one.
        _advisory_lock(f"{GENERALISE_KIND}-queue:{version.pk}")
        if Job.objects.filter(
            kind=GENERALISE_KIND,
            status__in=(Job.Status.PENDING, Job.Status.RUNNING),
            params__version_id=version.pk,
        ).exists():
            return None
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Small-scale zoning of %(version)s") % {"version": version}
        return job_create(
            kind=GENERALISE_KIND,
            title=title,
            params={"version_id": version.pk},
            enqueue=lambda job_id: zoning_generalise_task.delay(job_id),
        )


@shared_task
def zoning_generalise_missing_task() -> int:
    """Beat's entry: a job per current version whose zoning has no generalisation (an
    upgrade emptied the bands: migration 0005), so that no one has to run
    ``generalise_zoning``; a single query when none lacks it. Returns the jobs queued."""
    return sum(zoning_generalise_start(version) is not None for version in versions_to_generalise())


@shared_task(base=JobTask)
def zoning_generalise_task(job_id: str) -> dict:
    """Generalise the zoning of the job's version, unless it was meanwhile (an import, the
    command, an attempt whose worker died after committing)."""
    job = Job.objects.get(pk=job_id)
    job_started(job_id)
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        # Held while generalising: another attempt waits, then finds the bands written.
        _advisory_lock(f"{GENERALISE_KIND}:{job.params['version_id']}")
        version = DocumentVersion.objects.filter(pk=job.params["version_id"]).first()
        if version is None or GeneralisedZone.objects.filter(version=version).exists():
            message = _("Generalised already, or deleted: nothing to do.")
            job_finish(job_id, succeeded=True, message=message, report={"rows": 0})
            return {"rows": 0}
        step = _("Generalising the zoning for the small scales")
        rows = zoning_generalise(
            version=version,
            progress=lambda done, total: job_progress(job_id, done * 100 // total, step),
        )
        message = _("%(version)s: %(rows)s generalised zones.") % {"version": version, "rows": rows}
    job_finish(job_id, succeeded=True, message=message, report={"rows": rows})
    return {"rows": rows}
