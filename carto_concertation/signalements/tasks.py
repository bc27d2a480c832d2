# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' background work: the e-mails of filing (services/mail.py)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Report
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
