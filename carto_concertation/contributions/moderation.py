# SPDX-License-Identifier: AGPL-3.0-or-later
"""Moderation and the collectivité's answers, one transaction each.

Moderators never delete: they approve, hide with a public reason (a placeholder stays),
restore, or merge twin ideas. Planners (and moderators) study and answer. Every one of
these actions writes a line of the concertation's public log, which names the role
acted in, never the person; the author of what was moderated or answered is notified.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.accounts.notifications import notify
from carto_concertation.concertations.models import Concertation
from carto_concertation.core.text import plain_text

from .comments import reply_notify
from .models import Comment, Contribution, ModerationAction, Report, Vote
from .permissions import answerer_role, moderator_role, signed_in_check
from .selectors import PUBLIC_STATUSES, contribution_for_update
from .tiles import contribution_footprint, contribution_tiles_refresh

Status = Contribution.Status
REASON_MAX = 1000

# The collectivité's workflow: which status may follow which (a closing answer may be
# corrected by another closing answer).
NEXT_STATUSES = {
    Status.PUBLISHED: {Status.UNDER_STUDY, *Contribution.CLOSING},
    Status.UNDER_STUDY: set(Contribution.CLOSING),
    **{closing: set(Contribution.CLOSING) for closing in Contribution.CLOSING},
}


def _log(
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


def _reason(reason: str, *, required: bool) -> str:
    reason = plain_text(reason or "")[:REASON_MAX]
    if required and not reason:
        raise ValidationError({"reason": _("Give the public reason of this decision.")})
    return reason


def _lock(contribution: Contribution) -> Contribution:
    return contribution_for_update(pk=contribution.pk)


def _resolve_reports(**target) -> None:
    Report.objects.filter(resolved_at__isnull=True, **target).update(resolved_at=timezone.now())


def _notify_moderation(user, title: str, decision: str) -> None:
    notify(
        user=user,
        kind="moderation",
        subject=_("Moderation: %(title)s") % {"title": title[:80]},
        body=decision,
    )


# --- Reports -------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *, reporter, reason: str, contribution: Contribution | None = None, comment=None
) -> Report:
    """Anyone signed in signals a public contribution or comment, once, with a reason."""
    signed_in_check(reporter, _("Sign in to report."))
    reason = plain_text(reason or "")[:REASON_MAX]
    if not reason:
        raise ValidationError({"reason": _("Say why you report this.")})
    if comment is not None:
        if comment.status != Comment.Status.PUBLISHED:
            raise ValidationError({"comment": _("This comment cannot be reported.")})
    elif contribution.status not in PUBLIC_STATUSES:
        raise ValidationError({"contribution": _("This contribution cannot be reported.")})
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=reporter, reason=reason, contribution=contribution, comment=comment
            )
    except IntegrityError as exc:
        raise ValidationError({"reason": _("You have already reported this.")}) from exc


# --- Contributions -------------------------------------------------------------------


@transaction.atomic
def contribution_approve(*, contribution: Contribution, actor, reason: str = "") -> Contribution:
    """Publish a contribution awaiting moderation, or keep a reported one (its reports
    are then dealt with)."""
    locked = _lock(contribution)
    role = moderator_role(concertation=locked.concertation, user=actor)
    reported = locked.reports.filter(resolved_at__isnull=True).exists()
    if locked.status != Status.SUBMITTED and not (locked.status in PUBLIC_STATUSES and reported):
        raise ValidationError(
            {"action": _("Only a contribution awaiting moderation or reported can be approved.")}
        )
    before = contribution_footprint(locked.pk)
    was_submitted = locked.status == Status.SUBMITTED
    if was_submitted:
        locked.status = Status.PUBLISHED
        locked.save(update_fields=["status", "updated_at"])
    _resolve_reports(contribution=locked)
    _log(
        concertation=locked.concertation,
        action=ModerationAction.Action.APPROVE,
        role=role,
        actor=actor,
        reason=_reason(reason, required=False),
        contribution=locked,
    )
    if was_submitted:
        _notify_moderation(
            locked.author,
            locked.title,
            _("Your contribution “%(title)s” is now published.") % {"title": locked.title},
        )
        contribution_tiles_refresh(contribution=locked, before=before)
    return locked


@transaction.atomic
def contribution_hide(*, contribution: Contribution, actor, reason: str) -> Contribution:
    """Hide a contribution with a public reason: a placeholder stays in its place."""
    locked = _lock(contribution)
    role = moderator_role(concertation=locked.concertation, user=actor)
    reason = _reason(reason, required=True)
    if locked.status not in (Status.SUBMITTED, *PUBLIC_STATUSES):
        raise ValidationError({"action": _("This contribution cannot be hidden.")})
    before = contribution_footprint(locked.pk)
    locked.status_before_moderation = locked.status
    locked.status = Status.HIDDEN
    locked.moderation_reason = reason
    locked.save(update_fields=["status", "status_before_moderation", "moderation_reason"])
    _resolve_reports(contribution=locked)
    _log(
        concertation=locked.concertation,
        action=ModerationAction.Action.HIDE,
        role=role,
        actor=actor,
        reason=reason,
        contribution=locked,
    )
    _notify_moderation(
        locked.author,
        locked.title,
        _("Your contribution “%(title)s” was hidden by moderation: %(reason)s")
        % {"title": locked.title, "reason": reason},
    )
    contribution_tiles_refresh(contribution=locked, before=before)
    return locked


@transaction.atomic
def contribution_restore(*, contribution: Contribution, actor, reason: str = "") -> Contribution:
    """Undo a hiding: back to the status it had (published if it was awaiting moderation)."""
    locked = _lock(contribution)
    role = moderator_role(concertation=locked.concertation, user=actor)
    if locked.status != Status.HIDDEN:
        raise ValidationError({"action": _("Only a hidden contribution can be restored.")})
    before = contribution_footprint(locked.pk)
    previous = locked.status_before_moderation
    locked.status = previous if previous in PUBLIC_STATUSES else Status.PUBLISHED
    locked.status_before_moderation = ""
    locked.moderation_reason = ""
    locked.save(update_fields=["status", "status_before_moderation", "moderation_reason"])
    _log(
        concertation=locked.concertation,
        action=ModerationAction.Action.RESTORE,
        role=role,
        actor=actor,
        reason=_reason(reason, required=False),
        contribution=locked,
    )
    _notify_moderation(
        locked.author,
        locked.title,
        _("Your contribution “%(title)s” is visible again.") % {"title": locked.title},
    )
    contribution_tiles_refresh(contribution=locked, before=before)
    return locked


@transaction.atomic
def contribution_merge(
    *, contribution: Contribution, into: Contribution, actor, reason: str = ""
) -> Contribution:
    """Merge a twin idea into another: its votes and comments join the kept one (a person
    who voted on both keeps one vote, the kept idea's) and it stays as a public pointer."""
    if contribution.pk == into.pk:
        raise ValidationError({"into": _("An idea cannot be merged into itself.")})
    # Both rows locked, always in the same order, so two merges cannot deadlock.
    first, second = sorted((contribution.pk, into.pk))
    rows = {
        c.pk: c
        for c in Contribution.objects.select_for_update(of=("self",))
        .select_related("concertation__territory", "author")
        .filter(pk__in=(first, second))
        .order_by("pk")
    }
    merged, kept = rows[contribution.pk], rows[into.pk]
    role = moderator_role(concertation=merged.concertation, user=actor)
    if kept.concertation_id != merged.concertation_id:
        raise ValidationError({"into": _("Both ideas must belong to the same concertation.")})
    for field, row in (("contribution", merged), ("into", kept)):
        if row.status not in PUBLIC_STATUSES:
            raise ValidationError(
                {
                    field: _("Only published ideas can be merged (this one is %(status)s).")
                    % {"status": row.get_status_display()}
                }
            )
    reason = _reason(reason, required=False)
    before_merged = contribution_footprint(merged.pk)
    before_kept = contribution_footprint(kept.pk)
    # One vote per person on the kept idea: a twin vote of the same person goes.
    Vote.objects.filter(
        contribution=merged, voter__in=Vote.objects.filter(contribution=kept).values("voter")
    ).delete()
    Vote.objects.filter(contribution=merged).update(contribution=kept)
    Comment.objects.filter(contribution=merged).update(contribution=kept)
    _recount(kept)
    _recount(merged)
    merged.status_before_moderation = merged.status
    merged.status = Status.MERGED
    merged.merged_into = kept
    merged.save(update_fields=["status", "status_before_moderation", "merged_into"])
    _log(
        concertation=merged.concertation,
        action=ModerationAction.Action.MERGE,
        role=role,
        actor=actor,
        reason=reason,
        contribution=merged,
        merged_into=kept,
    )
    _notify_moderation(
        merged.author,
        merged.title,
        _(
            "Your contribution “%(title)s” was merged into the similar idea “%(kept)s”; its votes and comments follow it."
        )
        % {"title": merged.title, "kept": kept.title},
    )
    contribution_tiles_refresh(contribution=merged, before=before_merged)
    contribution_tiles_refresh(contribution=kept, before=before_kept)
    return kept


def _recount(contribution: Contribution) -> None:
    """Tallies counted again from the votes (a merge moves votes between ideas)."""
    counts = Vote.objects.filter(contribution=contribution).aggregate(
        votes_for=Count("pk", filter=Q(value__gt=0)),
        votes_against=Count("pk", filter=Q(value__lt=0)),
        rating_sum=Sum("value", default=0),
        rating_count=Count("pk"),
    )
    if contribution.concertation.vote_mode == Concertation.VoteMode.RATING:
        counts.update(votes_for=0, votes_against=0)
    else:
        counts.update(rating_sum=0, rating_count=0)
    Contribution.objects.filter(pk=contribution.pk).update(**counts)


# --- The collectivité's answer -------------------------------------------------------


@transaction.atomic
def contribution_answer(
    *,
    contribution: Contribution,
    actor,
    status: str,
    answer: str = "",
    answer_service: str = "",
) -> Contribution:
    """Move an idea along published → under study → retained, partly retained or not
    retained; a closing status carries the official answer, its date and the answering
    service (never a person's name); "under study" may carry a first answer, shown as
    well. The author is notified."""
    locked = _lock(contribution)
    role = answerer_role(concertation=locked.concertation, user=actor)
    allowed = NEXT_STATUSES.get(locked.status, set())
    if status not in allowed:
        raise ValidationError(
            {
                "status": _("A contribution that is %(current)s cannot become %(status)s.")
                % {
                    "current": locked.get_status_display(),
                    "status": Status(status).label if status in Status.values else status,
                }
            }
        )
    answer, answer_service = plain_text(answer or ""), plain_text(answer_service or "")[:120]
    closing = status in Contribution.CLOSING
    if closing:
        errors = {}
        if not answer:
            errors["answer"] = _("A closing status needs the official answer.")
        if not answer_service:
            errors["answer_service"] = _("Name the service that answers.")
        if errors:
            raise ValidationError(errors)
    before = contribution_footprint(locked.pk)
    locked.status = status
    # An answer given with "under study" is kept and shown as well (a closing one later
    # replaces it); without text, whatever was answered before stays.
    if answer:
        locked.answer, locked.answer_service = answer, answer_service
        locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answer", "answer_service", "answered_at", "updated_at"])
    _log(
        concertation=locked.concertation,
        action=ModerationAction.Action.ANSWER if closing else ModerationAction.Action.STUDY,
        role=role,
        actor=actor,
        reason=answer,
        contribution=locked,
    )
    if closing:
        body = _("“%(title)s” is %(status)s.\n\nAnswer of %(service)s:\n%(answer)s") % {
            "title": locked.title,
            "status": locked.get_status_display(),
            "service": answer_service,
            "answer": answer,
        }
    else:
        body = _("“%(title)s” is now under study by the collectivité.") % {"title": locked.title}
        if answer:
            body = f"{body}\n\n{answer}"
    notify(
        user=locked.author,
        kind="answer",
        subject=_("Your contribution: %(title)s") % {"title": locked.title[:80]},
        body=body,
    )
    contribution_tiles_refresh(contribution=locked, before=before)
    return locked


# --- Comments ------------------------------------------------------------------------


def _lock_comment(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("contribution__concertation__territory", "author", "parent__author")
        .get(pk=comment.pk)
    )


@transaction.atomic
def comment_approve(*, comment: Comment, actor, reason: str = "") -> Comment:
    """Publish a comment awaiting moderation (its parent's author then hears of the
    reply), or keep a reported one."""
    locked = _lock_comment(comment)
    concertation = locked.contribution.concertation
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
    _resolve_reports(comment=locked)
    _log(
        concertation=concertation,
        action=ModerationAction.Action.APPROVE,
        role=role,
        actor=actor,
        reason=_reason(reason, required=False),
        contribution=locked.contribution,
        comment=locked,
    )
    if was_submitted:
        _notify_moderation(locked.author, locked.text, _("Your comment is now published."))
        reply_notify(comment=locked)
    return locked


@transaction.atomic
def comment_hide(*, comment: Comment, actor, reason: str) -> Comment:
    locked = _lock_comment(comment)
    concertation = locked.contribution.concertation
    role = moderator_role(concertation=concertation, user=actor)
    reason = _reason(reason, required=True)
    if locked.status == Comment.Status.HIDDEN:
        raise ValidationError({"action": _("This comment is hidden already.")})
    locked.status = Comment.Status.HIDDEN
    locked.moderation_reason = reason
    locked.save(update_fields=["status", "moderation_reason"])
    _resolve_reports(comment=locked)
    _log(
        concertation=concertation,
        action=ModerationAction.Action.HIDE,
        role=role,
        actor=actor,
        reason=reason,
        contribution=locked.contribution,
        comment=locked,
    )
    _notify_moderation(
        locked.author,
        locked.text,
        _("Your comment was hidden by moderation: %(reason)s") % {"reason": reason},
    )
    return locked


@transaction.atomic
def comment_restore(*, comment: Comment, actor, reason: str = "") -> Comment:
    locked = _lock_comment(comment)
    concertation = locked.contribution.concertation
    role = moderator_role(concertation=concertation, user=actor)
    if locked.status != Comment.Status.HIDDEN:
        raise ValidationError({"action": _("Only a hidden comment can be restored.")})
    locked.status = Comment.Status.PUBLISHED
    locked.moderation_reason = ""
    locked.save(update_fields=["status", "moderation_reason"])
    _log(
        concertation=concertation,
        action=ModerationAction.Action.RESTORE,
        role=role,
        actor=actor,
        reason=_reason(reason, required=False),
        contribution=locked.contribution,
        comment=locked,
    )
    _notify_moderation(locked.author, locked.text, _("Your comment is visible again."))
    return locked
