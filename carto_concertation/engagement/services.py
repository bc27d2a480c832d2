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

from .models import Ban, Comment, ModerationAction, Report, Vote
from .targets import target_check

TEXT_MAX = 2000
REASON_MAX = 1000


def _is_on(row, target: Model) -> bool:
    return (row.content_type_id, row.object_id) == (
        ContentType.objects.get_for_model(target).pk,
        target.pk,
    )


def vote_set(*, target: Model, voter, value: int, counted: bool = True) -> tuple[Vote, int | None]:
    """Give or change one's vote on ``target``: the vote and the counted value it had
    before (None for a new one, or one left out of the tallies). ``counted`` False: a
    banned account's, kept but left out of the tallies. The caller holds the target's
    row lock."""
    target_check(target)
    vote = Vote.objects.of(target).filter(voter=voter).first()
    if vote is None:
        vote = Vote.objects.create(target=target, voter=voter, value=value, counted=counted)
        return vote, None
    previous = vote.value if vote.counted else None
    vote.value, vote.counted = value, counted
    vote.save(update_fields=["value", "counted"])
    return vote, previous


def vote_delete(*, target: Model, voter) -> int | None:
    """Withdraw one's vote: the counted value it had, None when there was none or it was
    left out of the tallies."""
    vote = Vote.objects.of(target).filter(voter=voter).first()
    if vote is None:
        return None
    vote.delete()
    return vote.value if vote.counted else None


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


@transaction.atomic
def ban_create(*, territory, user, reason: str, ends_at, banned_by) -> Ban:
    """Ban an account from a territory, with a reason and an optional end. A ban already
    in force there is replaced (lifted by the same moderator): one ban applies at a
    time, and each decision stays on record."""
    reason = reason_clean(reason, required=True, message=_("Say why you ban this account."))
    if ends_at is not None and ends_at <= timezone.now():
        raise ValidationError({"ends_at": _("The end of a ban is to come.")})
    if user.pk == banned_by.pk:
        raise ValidationError({"account": _("You cannot ban yourself.")})
    Ban.objects.in_force().filter(territory=territory, user=user).update(
        lifted_at=timezone.now(), lifted_by=banned_by
    )
    return Ban.objects.create(
        territory=territory, user=user, reason=reason, ends_at=ends_at, banned_by=banned_by
    )


def ban_lift(*, ban: Ban, lifted_by) -> Ban:
    """End a ban now; it stays on record."""
    if ban.lifted_at is None:
        ban.lifted_at, ban.lifted_by = timezone.now(), lifted_by
        ban.save(update_fields=["lifted_at", "lifted_by"])
    return ban
