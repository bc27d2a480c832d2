# SPDX-License-Identifier: AGPL-3.0-or-later
"""The e-mails of filing, sent once the transaction has committed (tasks.py): the link
that confirms a report, and the service told of a report that became open."""

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from ..models import Report


def confirmation_url(*, token: str) -> str:
    return settings.SITE_URL + reverse("signalements:confirm", kwargs={"token": token})


def report_url(*, report_id: int) -> str:
    """The report's page on the site (the pages of the module); the API's answer while
    no page is installed."""
    try:
        return settings.SITE_URL + reverse("signalements:report", kwargs={"pk": report_id})
    except NoReverseMatch:
        return settings.SITE_URL + reverse("api:signalements-report", kwargs={"pk": report_id})


def confirmation_send(*, report: Report, token: str) -> None:
    """The link to confirm the report, to the address it was filed with (a banned sender
    gets it too: they are not told)."""
    from ..tasks import report_confirmation_mail

    transaction.on_commit(lambda: report_confirmation_mail.delay(report.pk, token))


def service_notify(*, report: Report) -> None:
    """The service in charge is told of a report that became open, with its link; not of
    a banned sender's, which stays among the services' hidden reports."""
    if report.is_hidden or report.service_id is None:
        return
    from ..tasks import report_service_mail

    transaction.on_commit(lambda: report_service_mail.delay(report.pk))
