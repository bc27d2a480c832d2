# SPDX-License-Identifier: AGPL-3.0-or-later
"""Moderation of comments: approve, hide, restore."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carto_concertation.engagement.models import Comment, ModerationAction

from ..comments import reply_notify
from ..models import Contribution
from ..permissions import moderator_role
from .common import moderation_log, moderation_notify, reason_checked, reports_resolve


def _lock_comment(comment: Comment) -> tuple[Comment, Contribution]:
    """The comment, its row locked, and the idea it is on (with its concertation)."""
    locked = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("author", "parent__author")
        .get(pk=comment.pk)
    )
    locked.target = Contribution.objects.select_related("concertation__territory").get(
        pk=locked.object_id
    )
    return locked, locked.target


@transaction.atomic
def comment_approve(*, comment: Comment, actor, reason: str = "") -> Comment:
    """Publish a comment awaiting moderation (its parent's author then hears of the
    reply), or keep a reported one."""
    locked, contribution = _lock_comment(comment)
    concertation = contribution.concertation
    role = moderator_role(concertation=concertation, user=actor)
    reported = locked.reports.filter(resolved_at__isnull=True).exists()
    if locked.status != Comment.Status.SUBMITTED and not (
        locked.status == Comment.Status.PUBLISHED and reported
    ):
        raise ValidationError(
            {"action": _("Only a comment awaiting moderation or reported can be approved.")}
        )
    was_submitted = locked.status == Comment.Status.SUBMITTED
    locked.status = Comment.Status.PUBLISHED
    locked.save(update_fields=["status"])
    reports_resolve(comment=locked)
    moderation_log(
        concertation=concertation,
        action=ModerationAction.Action.APPROVE,
        role=role,
        actor=actor,
        reason=reason_checked(reason, required=False),
        contribution=contribution,
        comment=locked,
    )
    if was_submitted:
        moderation_notify(locked.author, locked.text, _("Your comment is now published."))
        reply_notify(comment=locked)
    return locked


@transaction.atomic
def comment_hide(*, comment: Comment, actor, reason: str) -> Comment:
    locked, contribution = _lock_comment(comment)
    concertation = contribution.concertation
    role = moderator_role(concertation=concertation, user=actor)
    reason = reason_checked(reason, required=True)
    if locked.status == Comment.Status.HIDDEN:
        raise ValidationError({"action": _("This comment is hidden already.")})
    locked.status = Comment.Status.HIDDEN
    locked.moderation_reason = reason
    locked.save(update_fields=["status", "moderation_reason"])
    reports_resolve(comment=locked)
    moderation_log(
        concertation=concertation,
        action=ModerationAction.Action.HIDE,
        role=role,
        actor=actor,
        reason=reason,
        contribution=contribution,
        comment=locked,
    )
    moderation_notify(
        locked.author,
        locked.text,
        _("Your comment was hidden by moderation: %(reason)s") % {"reason": reason},
    )
    return locked


@transaction.atomic
def comment_restore(*, comment: Comment, actor, reason: str = "") -> Comment:
    locked, contribution = _lock_comment(comment)
    concertation = contribution.concertation
    role = moderator_role(concertation=concertation, user=actor)
    if locked.status != Comment.Status.HIDDEN:
        raise ValidationError({"action": _("Only a hidden comment can be restored.")})
    locked.status = Comment.Status.PUBLISHED
    locked.moderation_reason = ""
    locked.save(update_fields=["status", "moderation_reason"])
    moderation_log(
        concertation=concertation,
        action=ModerationAction.Action.RESTORE,
        role=role,
        actor=actor,
        reason=reason_checked(reason, required=False),
        contribution=contribution,
        comment=locked,
    )
    moderation_notify(locked.author, locked.text, _("Your comment is visible again."))
    return locked
