# SPDX-License-Identifier: AGPL-3.0-or-later
"""Following a report ("me too"): its count is public, who follows is not; followers are
told of its updates (notification kind ``report_updates``).

An account follows at once. A bare address follows once it has opened the link e-mailed
to it (it expires, as a report's confirmation does): nobody subscribes someone else's
address. Every e-mail to an address carries a signed link that stops the e-mails about
that report (``report_emails_stop``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Report, ReportFollower
from ..notifications import (
    address_send,
    email_stop_read,
    follow_confirm_read,
    follow_confirm_url,
    report_url,
)
from ..selectors import reports_public, reports_visible_to


def _followable_check(report: Report) -> None:
    if report.state == Report.State.DUPLICATE:
        raise ValidationError(
            {
                "report": _("This report is a duplicate of #%(id)s: follow that one.")
                % {"id": report.duplicate_of_id}
            }
        )


def _follower_add(*, report: Report, user=None, email: str = "") -> ReportFollower:
    """Following twice is following: the existing row is answered."""
    lookup = {"user": user} if user is not None else {"email": email}
    try:
        with transaction.atomic():
            return ReportFollower.objects.create(report=report, **lookup)
    except IntegrityError:
        return ReportFollower.objects.get(report=report, **lookup)


@transaction.atomic
def report_follow(*, report: Report, user=None, email: str = "") -> ReportFollower | None:
    """Follow a report: an account at once (one it may see; its reporter hears of it
    anyway, and gets no row), or a bare address by the link it is sent (None: nothing
    is written until the link is opened)."""
    if user is not None and user.is_authenticated:
        if (
            not reports_visible_to(user)
            .filter(pk=report.pk)
            .exclude(state=Report.State.UNCONFIRMED)
            .exists()
        ):
            raise PermissionDenied(_("This report cannot be followed."))
        _followable_check(report)
        if report.author_id == user.pk:
            return None
        return _follower_add(report=report, user=user)
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Give your e-mail address, or sign in.")})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if not reports_public().filter(pk=report.pk).exists():
        raise PermissionDenied(_("This report cannot be followed."))
    _followable_check(report)
    if report.author_id is None and report.email.lower() == email:
        return None  # its reporter, who hears of it anyway
    body = _(
        "Someone asked, with this address, to follow report #%(id)s (%(category)s) and to "
        "be told of its updates.\n\nConfirm it by opening this link: %(link)s\n\n"
        "If it was not you, do nothing: without the confirmation nothing is sent.\n\n"
        "The report: %(url)s"
    ) % {
        "id": report.pk,
        "category": report.category.name,
        "link": follow_confirm_url(report_id=report.pk, email=email),
        "url": report_url(report),
    }
    address_send(
        email=email,
        subject=_("Follow report #%(id)s?") % {"id": report.pk},
        body=body,
        report_id=None,
    )
    return None


@transaction.atomic
def report_follow_confirm(*, token: str) -> ReportFollower:
    """The link a bare address was sent: it follows the report now."""
    found = follow_confirm_read(token)
    if found is None:
        raise ValidationError({"token": _("This link is not valid, or it expired.")})
    report_id, email = found
    report = reports_public().filter(pk=report_id).first()
    if report is None:
        raise ValidationError({"token": _("This report can no longer be followed.")})
    _followable_check(report)
    return _follower_add(report=report, email=email)


@transaction.atomic
def report_unfollow(*, report: Report, user) -> None:
    """Stop following a report (nothing when one did not follow it)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to stop following a report."))
    ReportFollower.objects.filter(report=report, user=user).delete()


@transaction.atomic
def report_emails_stop(*, token: str) -> Report:
    """The one-click link of an e-mail to an address: it stops hearing of that report.
    A follower's row goes; a reporter without an account has their address forgotten on
    the report (it stays, signed by nobody), as they asked to hear no more of it."""
    found = email_stop_read(token)
    report = Report.objects.select_for_update().filter(pk=found[0]).first() if found else None
    if report is None:
        raise ValidationError({"token": _("This link is not valid.")})
    email = found[1]
    ReportFollower.objects.filter(report=report, email__iexact=email).delete()
    if report.author_id is None and report.email.lower() == email:
        report.email = ""
        report.save(update_fields=["email", "updated_at"])
    return report
