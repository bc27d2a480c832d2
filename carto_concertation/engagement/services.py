# SPDX-License-Identifier: AGPL-3.0-or-later
"""The writes of engagement, on any declared target (``targets.target_check``).

What depends on the module — who may vote or comment, in which phase, which values,
whether a comment waits for moderation, the tallies on the target — is the module's own
check, made before it calls these, in the same transaction.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.core.text import plain_text

from .models import Comment, ModerationAction, Report, Vote
from .targets import target_check

TEXT_MAX = 2000
REASON_MAX = 1000


def _is_on(row, target: Model) -> bool:
    return (row.content_type_id, row.object_id) == (
        ContentType.objects.get_for_model(target).pk,
        target.pk,
    )


def vote_set(*, target: Model, voter, value: int) -> tuple[Vote, int | None]:
    """Give or change one's vote on ``target``: the vote and the value it had before
    (None for a new one). The caller holds the target's row lock."""
    target_check(target)
    vote = Vote.objects.of(target).filter(voter=voter).first()
    if vote is None:
        return Vote.objects.create(target=target, voter=voter, value=value), None
    previous, vote.value = vote.value, value
    vote.save(update_fields=["value"])
    return vote, previous


def vote_delete(*, target: Model, voter) -> int | None:
    """Withdraw one's vote: the value it had, None when there was none."""
    vote = Vote.objects.of(target).filter(voter=voter).first()
    if vote is None:
        return None
    vote.delete()
    return vote.value


def comment_text(text: str) -> str:
    return plain_text(text or "")[:TEXT_MAX]


def comment_write(*, target: Model, author, text: str, parent: Comment | None, status: str):
    """A comment on ``target``, or a reply to a published comment on it (not to a reply)."""
    target_check(target)
    errors = {}
    text = comment_text(text)
    if not text:
        errors["text"] = _("Write your comment.")
    if parent is not None:
        if not _is_on(parent, target):
            errors["parent"] = _("Reply to a comment of the same contribution.")
        elif parent.parent_id is not None:
            errors["parent"] = _("Replies go to a comment, not to another reply.")
        elif parent.status != Comment.Status.PUBLISHED:
            errors["parent"] = _("This comment cannot receive replies.")
    if errors:
        raise ValidationError(errors)
    return Comment.objects.create(
        target=target, parent=parent, author=author, text=text, status=status
    )


def reason_clean(reason: str, *, required: bool, message: str) -> str:
    """A public reason as typed (plain text, at most REASON_MAX characters)."""
    reason = plain_text(reason or "")[:REASON_MAX]
    if required and not reason:
        raise ValidationError({"reason": message})
    return reason


def report_write(*, target: Model, reporter, reason: str) -> Report:
    """Signal a declared target, or a comment on one, to the moderators, with a reason:
    once per person. The caller checked that the target may be reported."""
    reason = reason_clean(reason, required=True, message=_("Say why you report this."))
    if isinstance(target, Comment):
        target_check(target.target, field="comment")
    else:
        target_check(target)
    try:
        with transaction.atomic():
            return Report.objects.create(target=target, reporter=reporter, reason=reason)
    except IntegrityError as exc:
        raise ValidationError({"reason": _("You have already reported this.")}) from exc


def reports_resolve(*, target: Model) -> None:
    """The open reports on ``target`` (a declared target or a comment) are dealt with."""
    Report.objects.of(target).filter(resolved_at__isnull=True).update(resolved_at=timezone.now())


def moderation_log_write(
    *,
    space: Model,
    action: str,
    role: str,
    actor,
    reason: str = "",
    target: Model | None = None,
    comment: Comment | None = None,
    merged_into: Model | None = None,
) -> ModerationAction:
    """A line of the space's public log: the role acted in is published, the actor only
    kept for the admin."""
    return ModerationAction.objects.create(
        space=space,
        action=action,
        role=role,
        actor=actor,
        reason=reason,
        target=target,
        comment=comment,
        merged_into_id=merged_into.pk if merged_into is not None else None,
    )


def engagement_move(*, source: Model, target: Model) -> None:
    """What was said and voted on ``source`` joins ``target`` (a merge of twins): its
    comments, and its votes but for a person who voted on both, who keeps the vote on
    ``target``. Reports stay on ``source``. The caller recounts the tallies."""
    target_check(target)
    if type(source)._meta.concrete_model is not type(target)._meta.concrete_model:
        raise ValueError("A merge moves engagement between targets of one model.")
    kept_voters = Vote.objects.of(target).values("voter")
    Vote.objects.of(source).filter(voter__in=kept_voters).delete()
    Vote.objects.of(source).update(object_id=target.pk)
    Comment.objects.of(source).update(object_id=target.pk)
