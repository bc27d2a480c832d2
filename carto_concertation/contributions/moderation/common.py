# SPDX-License-Identifier: AGPL-3.0-or-later
"""What every moderation action does alike: a line of the public log, a public reason,
the reports dealt with, the author told."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.accounts.notifications import notify
from carto_concertation.concertations.models import Concertation
from carto_concertation.core.text import plain_text

from ..models import Comment, Contribution, ModerationAction, Report

REASON_MAX = 1000


def moderation_log(
    *,
    concertation: Concertation,
    action: str,
    role: str,
    actor,
    reason: str = "",
    contribution: Contribution | None = None,
    comment: Comment | None = None,
    merged_into: Contribution | None = None,
) -> ModerationAction:
    return ModerationAction.objects.create(
        concertation=concertation,
        action=action,
        role=role,
        actor=actor,
        reason=reason,
        contribution=contribution,
        comment=comment,
        merged_into=merged_into,
    )


def reason_checked(reason: str, *, required: bool) -> str:
    reason = plain_text(reason or "")[:REASON_MAX]
    if required and not reason:
        raise ValidationError({"reason": _("Give the public reason of this decision.")})
    return reason


def reports_resolve(**target) -> None:
    Report.objects.filter(resolved_at__isnull=True, **target).update(resolved_at=timezone.now())


def moderation_notify(user, title: str, decision: str) -> None:
    notify(
        user=user,
        kind="moderation",
        subject=_("Moderation: %(title)s") % {"title": title[:80]},
        body=decision,
    )
