# SPDX-License-Identifier: AGPL-3.0-or-later
"""Personal data over time: the retention rules the daily job applies (settings RETENTION_*).

1. An account whose address was never verified is removed RETENTION_UNVERIFIED_DAYS after
   sign-up (the CNIL: data of an unfinished sign-up is not kept).
2. An account nobody signed in to for RETENTION_INACTIVE_YEARS is warned by e-mail; it is
   erased (account_erase: every module's on_account_deletion) no sooner than
   RETENTION_WARNING_DAYS after the warning, and only if nobody signed in since: the
   warning is recorded with the e-mail sent, so a job stopped for months erases nobody
   unwarned, and signing in clears it (apps.AccountsConfig connects the receiver).
3. Staff (administrators, moderators, planners, relays, Django staff) are warned, never
   erased by the job.

Each account is handled in a transaction of its own, that re-reads it under a lock: an
account signed in to between the listing and its turn is left. A second run finds nothing
to do. IP addresses are kept only in rate-limit counters whose keys expire with their
window (docs/security.md).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import User
from .selectors import (
    accounts_inactive_due,
    accounts_inactive_unwarned,
    accounts_unverified_expired,
)
from .services import account_erase

logger = logging.getLogger(__name__)


@dataclass
class RetentionReport:
    """The ids of the accounts each rule took (or would take, in a dry run)."""

    dry_run: bool = False
    unverified_removed: list[int] = field(default_factory=list)
    inactive_warned: list[int] = field(default_factory=list)
    inactive_erased: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "unverified_removed": len(self.unverified_removed),
            "inactive_warned": len(self.inactive_warned),
            "inactive_erased": len(self.inactive_erased),
            "failed": len(self.failed),
        }


def retention_apply(*, now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Apply the three rules once, at most RETENTION_BATCH_SIZE accounts each; with
    ``dry_run``, list what they would take and write nothing."""
    now = now or timezone.now()
    report = RetentionReport(dry_run=dry_run)
    rules: list[tuple[Callable[..., QuerySet[User]], list[int], Callable[[User], None]]] = [
        (accounts_unverified_expired, report.unverified_removed, _erase),
        (accounts_inactive_unwarned, report.inactive_warned, lambda user: _warn(user, now)),
        (accounts_inactive_due, report.inactive_erased, _erase),
    ]
    for selector, taken, act in rules:
        batch = list(
            selector(now=now).values_list("pk", flat=True)[: settings.RETENTION_BATCH_SIZE]
        )
        if dry_run:
            taken.extend(batch)
            continue
        for pk in batch:
            try:
                if _act_on_one(selector, now, pk, act):
                    taken.append(pk)
            except (ValidationError, OSError) as error:
                # One account that cannot be handled (a mail server down) stops no other.
                logger.warning("retention: account %s left: %s", pk, error)
                report.failed.append((pk, str(error)))
    return report


@transaction.atomic
def _act_on_one(
    selector: Callable[..., QuerySet[User]], now: datetime, pk: int, act: Callable[[User], None]
) -> bool:
    """Act on one account if the rule still takes it, read again under a row lock."""
    user = User.objects.select_for_update().filter(pk=pk).first()
    if user is None or not selector(now=now).filter(pk=pk).exists():
        return False
    act(user)
    return True


def _erase(user: User) -> None:
    account_erase(user=user)


def _warn(user: User, now: datetime) -> None:
    """Record the warning and send its e-mail in the same transaction: a mail that could
    not be sent leaves no warning behind, so the erasure never follows an unsent one."""
    User.objects.filter(pk=user.pk).update(inactivity_warned_at=now)
    erased_on = timezone.localdate(now + timedelta(days=settings.RETENTION_WARNING_DAYS))
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your account will be deleted on %(date)s") % {
            "date": date_format(erased_on, "j F Y")
        }
        body = inactivity_warning_body(user=user, erased_on=erased_on)
    EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    ).send()


def inactivity_warning_body(*, user: User, erased_on) -> str:
    """The warning's text, in the active language."""
    site = settings.SITE_URL
    return _(
        "Hello %(pseudonym)s,\n\n"
        "Nobody has signed in to your account for %(years)s years. So as not to keep "
        "personal data longer than needed, your account will be deleted on %(date)s.\n\n"
        "To keep it, simply sign in before that date: %(login)s\n\n"
        "Before it goes, you may download your data: %(data)s\n"
        "What you published stays public, without your pseudonym.\n\n"
        "Our privacy notice: %(privacy)s\n"
    ) % {
        "pseudonym": user.pseudonym,
        "years": settings.RETENTION_INACTIVE_YEARS,
        "date": date_format(erased_on, "j F Y"),
        "login": site + reverse("account_login"),
        "data": site + reverse("account_data"),
        "privacy": site + reverse("account_privacy"),
    }


def inactivity_warning_clear(*, user: User) -> None:
    """Signing in keeps the account: the warning no longer holds (user_logged_in)."""
    if user.inactivity_warned_at is not None:
        User.objects.filter(pk=user.pk).update(inactivity_warned_at=None)
        user.inactivity_warned_at = None
