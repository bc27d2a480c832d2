# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' background work: the e-mails of filing (services/mail.py), the
e-mails to addresses and the daily "est-ce réparé ?" (the workflow's)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Report, ReportFollower
from .notifications import email_stop_url
from .services.fixed_check import report_fixed_check, reports_to_check_fixed
from .services.mail import confirmation_url, report_url


@shared_task
def report_confirmation_mail(report_id: int, token: str) -> bool:
    """The link that confirms a report filed with an e-mail address."""
    report = Report.objects.filter(pk=report_id, state=Report.State.UNCONFIRMED).first()
    if report is None or not report.email:
        return False
    hours = settings.SIGNALEMENTS_CONFIRMATION_MAX_AGE // 3600
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Confirm your report")
        body = _(
            "You reported “%(category)s” at %(address)s.\n\n"
            "Confirm it by following this link, within %(hours)s hours; the services "
            "receive it once it is confirmed:\n%(url)s\n\n"
            "If you did not file this report, ignore this e-mail: nothing will be published."
        ) % {
            "category": report.category.name,
            "address": report.address or report.territory.name,
            "hours": hours,
            "url": confirmation_url(token=token),
        }
    EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[report.email],
    ).send()
    return True


@shared_task
def report_service_mail(report_id: int) -> bool:
    """The service in charge is told of a new open report, with the link to it."""
    report = (
        Report.objects.select_related("service", "category", "commune")
        .filter(pk=report_id, is_hidden=False, service__isnull=False)
        .first()
    )
    if report is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New report #%(id)s: %(category)s") % {
            "id": report.pk,
            "category": report.category.name,
        }
        body = _(
            "A report has been sent to %(service)s.\n\n"
            "Category: %(category)s\nPlace: %(address)s\n\n%(description)s\n\n"
            "See it and answer: %(url)s"
        ) % {
            "service": report.service.name,
            "category": str(report.category),
            "address": report.address or report.territory.name,
            "description": report.description,
            "url": report_url(report_id=report.pk),
        }
    EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[report.service.email],
    ).send()
    return True


def _still_wanted(email: str, report_id: int) -> bool:
    """The address still hears of the report: it stopped nothing between queue and send."""
    return (
        Report.objects.filter(pk=report_id, email__iexact=email).exists()
        or ReportFollower.objects.filter(report_id=report_id, email__iexact=email).exists()
    )


@shared_task
def address_email_send(email: str, subject: str, body: str, report_id: int | None) -> bool:
    """Send one e-mail to an address. About a report (``report_id``), to a reporter or a
    follower without an account: with the signed link that stops them in one click, also
    in the List-Unsubscribe headers (RFC 2369, RFC 8058), and only while that address
    still hears of the report."""
    headers = {}
    if report_id is not None:
        if not _still_wanted(email, report_id):
            return False
        stop = email_stop_url(report_id=report_id, email=email)
        with translation.override(settings.LANGUAGE_CODE):
            footer = _(
                "You receive this e-mail about report #%(id)s because you filed or follow it.\n"
                "Stop the e-mails about this report in one click: %(stop)s"
            ) % {"id": report_id, "stop": stop}
        body = f"{body}\n\n-- \n{footer}\n"
        headers = {
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers=headers,
    ).send()
    return True


@shared_task
def report_fixed_check_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): ask "est-ce réparé ?" of the reporter of each report
    fixed SIGNALEMENTS_FIXED_CHECK_DAYS ago and not asked yet (one short transaction each)."""
    ids = list(reports_to_check_fixed().values_list("pk", flat=True))
    return sum(report_fixed_check(report_id=report_id) for report_id in ids)
