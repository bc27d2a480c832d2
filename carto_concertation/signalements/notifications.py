# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who hears of a report, and the signed links its e-mails carry.

A reporter or a follower with an account is written to through the house's
``accounts.notifications.notify`` (their choice per kind holds, each e-mail has its
one-click unsubscribe link). A reporter or a follower known by an address only is written
to by ``tasks.address_email_send``, with a signed link that stops every e-mail about that
report in one click (``email_stop_url``). A service is written to at its address, without
such a link: it is a work address, told of the reports it must handle.

Every e-mail is queued after the transaction commits: a refused or rolled-back write
sends nothing."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from carto_concertation.accounts.notifications import notify

from . import links
from .models import Report, ReportFollower, Service

_STOP_SALT = "carto_concertation.signalements.email_stop"
_FOLLOW_SALT = "carto_concertation.signalements.follow_confirm"
_FIXED_SALT = "carto_concertation.signalements.fixed_answer"


def report_url(report: Report) -> str:
    """The report's page (the residents' pages serve it at /signalements/<id>/; agents of
    its service and its reporter see it there even when it is private)."""
    return settings.SITE_URL + links.report_url(report.pk)


def email_stop_token(*, report_id: int, email: str) -> str:
    """Names one address and one report, without expiry: an old e-mail's link keeps
    working, and it can only stop e-mails."""
    return signing.dumps([report_id, email.lower()], salt=_STOP_SALT)


def email_stop_read(token: str) -> tuple[int, str] | None:
    try:
        report_id, email = signing.loads(token, salt=_STOP_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(report_id, int) or not isinstance(email, str):
        return None
    return report_id, email


def email_stop_url(*, report_id: int, email: str) -> str:
    token = email_stop_token(report_id=report_id, email=email)
    return settings.SITE_URL + reverse("signalements:email-stop", args=[token])


def follow_confirm_url(*, report_id: int, email: str) -> str:
    """The link that makes a bare address a follower; it expires
    (SIGNALEMENTS_FOLLOW_LINK_HOURS), as the confirmation of a report does."""
    token = signing.dumps([report_id, email.lower()], salt=_FOLLOW_SALT)
    return settings.SITE_URL + reverse("signalements:follow-confirm", args=[token])


def follow_confirm_read(token: str) -> tuple[int, str] | None:
    try:
        report_id, email = signing.loads(
            token, salt=_FOLLOW_SALT, max_age=settings.SIGNALEMENTS_FOLLOW_LINK_HOURS * 3600
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(report_id, int) or not isinstance(email, str):
        return None
    return report_id, email


def fixed_answer_token(*, report_id: int) -> str:
    """Whoever holds it answers "est-ce réparé ?" for that report: it is sent to the
    reporter alone, and expires (SIGNALEMENTS_FIXED_ANSWER_DAYS)."""
    return signing.dumps(report_id, salt=_FIXED_SALT)


def fixed_answer_read(token: str) -> int | None:
    try:
        report_id = signing.loads(
            token, salt=_FIXED_SALT, max_age=settings.SIGNALEMENTS_FIXED_ANSWER_DAYS * 86400
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return report_id if isinstance(report_id, int) else None


def fixed_answer_url(*, report_id: int, fixed: bool) -> str:
    token = fixed_answer_token(report_id=report_id)
    answer = "oui" if fixed else "non"
    return settings.SITE_URL + reverse("signalements:fixed-answer", args=[token]) + f"?{answer}"


def address_send(*, email: str, subject: str, body: str, report_id: int | None) -> None:
    """Queue an e-mail to an address; with ``report_id``, it carries the link that stops
    the e-mails about that report (a reporter or a follower without an account)."""
    from .tasks import address_email_send

    subject, body = str(subject), str(body)
    transaction.on_commit(lambda: address_email_send.delay(email, subject, body, report_id))


def service_tell(*, service: Service | None, subject: str, body: str) -> None:
    if service is not None:
        address_send(email=service.email, subject=subject, body=body, report_id=None)


def people_tell(
    *,
    report: Report,
    kind: str,
    subject: str,
    body: str,
    reporter: bool = True,
    followers: bool = True,
    leave_out=None,
    stop_on: Report | None = None,
) -> None:
    """Tell the reporter and/or the followers of a report, once each; ``leave_out`` is the
    account that acts (an agent who also follows hears nothing of their own act). An
    address's stop link is for ``stop_on`` when given: the report they hear of next (a
    duplicate's people follow its original from now on)."""
    users, addresses = {}, set()
    if reporter:
        if report.author_id is not None:
            users[report.author_id] = report.author
        elif report.email:
            addresses.add(report.email.lower())
    if followers:
        for follower in ReportFollower.objects.filter(report=report).select_related("user"):
            if follower.user_id is not None:
                users[follower.user_id] = follower.user
            else:
                addresses.add(follower.email.lower())
    if leave_out is not None:
        users.pop(leave_out.pk, None)
    for user in users.values():
        notify(user=user, kind=kind, subject=subject, body=body)
    for email in sorted(addresses):
        address_send(email=email, subject=subject, body=body, report_id=(stop_on or report).pk)
