# SPDX-License-Identifier: AGPL-3.0-or-later
from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from carto_concertation.core.jobs import JobTask, job_finish, job_progress, job_started
from carto_concertation.core.models import Job

from .archives import archive_path, archive_write, archives_sweep
from .models import User
from .notifications import unsubscribe_url
from .selectors import notification_accepted, notification_kind_map


def _footer(kind: str, unsubscribe: str) -> str:
    what = notification_kind_map()[kind].label
    preferences = settings.SITE_URL + reverse("account_preferences")
    return _(
        "You receive this e-mail because you chose to receive: “%(what)s”.\n"
        "Stop these e-mails in one click: %(unsubscribe)s\n"
        "Choose the e-mails you receive: %(preferences)s"
    ) % {"what": what, "unsubscribe": unsubscribe, "preferences": preferences}


@shared_task
def notification_send(user_id: int, kind: str, subject: str, body: str) -> bool:
    """Send one notification, re-checking the person's choice at sending time.

    The footer links to a one-click unsubscribe page for this kind, also given in the
    List-Unsubscribe headers (RFC 2369 and RFC 8058) that mail clients show as a button.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    # A kind no module declares any more (its module left between queue and send): none.
    if user is None or kind not in notification_kind_map():
        return False
    if not notification_accepted(user=user, kind=kind):
        return False
    unsubscribe = unsubscribe_url(user_id=user.pk, kind=kind)
    with translation.override(settings.LANGUAGE_CODE):
        footer = _footer(kind, unsubscribe)
    message = EmailMessage(
        subject=subject,
        body=f"{body}\n\n-- \n{footer}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    return True


@shared_task
def retention_apply_task() -> dict:
    """Daily (CELERY_BEAT_SCHEDULE): the retention rules (accounts.retention)."""
    from .retention import retention_apply

    return retention_apply().as_dict()


@shared_task(base=JobTask, autoretry_for=())
def data_export_task(job_id: str) -> dict:
    """Build a person's “download my data” archive (accounts.archives); the job's report
    gives its size."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:  # the account was deleted, and its jobs with it, before this began
        return {}
    job_started(job_id)
    user = User.objects.filter(pk=job.created_by_id).first()
    if user is None:  # the account went another way (the admin) since it asked
        job_finish(job_id, succeeded=False, message="", report={})
        return {}
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        size = archive_write(
            job_id=job_id,
            user=user,
            origin=job.params.get("origin") or {},
            progress=lambda percent: job_progress(job_id, percent, _("Gathering your data…")),
        )
        message = _("Your archive is ready.")
    if not Job.objects.filter(pk=job_id).exists():
        # The account was deleted while the archive was being written: none is kept.
        archive_path(job_id).unlink(missing_ok=True)
        return {}
    report = {"bytes": size}
    job_finish(job_id, succeeded=True, message=message, report=report)
    return report


@shared_task
def data_exports_sweep_task() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): the archives past DATA_EXPORT_KEEP_DAYS go."""
    return archives_sweep()
