# SPDX-License-Identifier: AGPL-3.0-or-later
"""What every moderation action does alike: a line of the public log, a public reason,
the reports dealt with, the author told."""

from django.utils.translation import gettext as _

from carto_concertation.accounts.notifications import notify
from carto_concertation.concertations.models import Concertation
from carto_concertation.core.audit import audit_record
from carto_concertation.engagement import services as engagement
from carto_concertation.engagement.models import Comment, ModerationAction

from ..audit import moderation_audit_action
from ..models import Contribution


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
    """A line of the public log (a role, never a person) and one of the staff audit
    journal (the person, for administrators)."""
    audit_record(
        moderation_audit_action(action, on_comment=comment is not None),
        comment if comment is not None else contribution,
        actor=actor,
        territory=concertation.territory_id,
        role=role,
        **({"merged_into": merged_into.pk} if merged_into is not None else {}),
    )
    return engagement.moderation_log_write(
        space=concertation,
        action=action,
        role=role,
        actor=actor,
        reason=reason,
        target=contribution,
        comment=comment,
        merged_into=merged_into,
    )


def reason_checked(reason: str, *, required: bool) -> str:
    return engagement.reason_clean(
        reason, required=required, message=_("Give the public reason of this decision.")
    )


def reports_resolve(*, contribution: Contribution | None = None, comment=None) -> None:
    engagement.reports_resolve(target=comment if comment is not None else contribution)


def moderation_notify(user, title: str, decision: str) -> None:
    notify(
        user=user,
        kind="moderation",
        subject=_("Moderation: %(title)s") % {"title": title[:80]},
        body=decision,
    )
