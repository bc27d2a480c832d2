# SPDX-License-Identifier: AGPL-3.0-or-later
"""Moderation of contributions: approve, hide, restore, merge twin ideas."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from carto_concertation.engagement.models import ModerationAction, Vote
from carto_concertation.engagement.services import engagement_move

from ..changes import contribution_changing, contributions_changing
from ..models import Contribution, IdeasSettings
from ..permissions import moderator_role
from ..selectors import PUBLIC_STATUSES, ideas_settings_of
from .common import moderation_log, moderation_notify, reason_checked, reports_resolve

Status = Contribution.Status


@transaction.atomic
def contribution_approve(*, contribution: Contribution, actor, reason: str = "") -> Contribution:
    """Publish a contribution awaiting moderation, or keep a reported one (its reports
    are then dealt with)."""
    with contribution_changing(contribution.pk) as locked:
        role = moderator_role(concertation=locked.concertation, user=actor)
        reported = locked.reports.filter(resolved_at__isnull=True).exists()
        if locked.status != Status.SUBMITTED and not (
            locked.status in PUBLIC_STATUSES and reported
        ):
            raise ValidationError(
                {
                    "action": _(
                        "Only a contribution awaiting moderation or reported can be approved."
                    )
                }
            )
        was_submitted = locked.status == Status.SUBMITTED
        if was_submitted:
            locked.status = Status.PUBLISHED
            locked.save(update_fields=["status", "updated_at"])
        reports_resolve(contribution=locked)
        moderation_log(
            concertation=locked.concertation,
            action=ModerationAction.Action.APPROVE,
            role=role,
            actor=actor,
            reason=reason_checked(reason, required=False),
            contribution=locked,
        )
        if was_submitted:
            moderation_notify(
                locked.author,
                locked.title,
                _("Your contribution “%(title)s” is now published.") % {"title": locked.title},
            )
    return locked


@transaction.atomic
def contribution_hide(*, contribution: Contribution, actor, reason: str) -> Contribution:
    """Hide a contribution with a public reason: a placeholder stays in its place."""
    with contribution_changing(contribution.pk) as locked:
        role = moderator_role(concertation=locked.concertation, user=actor)
        reason = reason_checked(reason, required=True)
        if locked.status not in (Status.SUBMITTED, *PUBLIC_STATUSES):
            raise ValidationError({"action": _("This contribution cannot be hidden.")})
        locked.status_before_moderation = locked.status
        locked.status = Status.HIDDEN
        locked.moderation_reason = reason
        locked.save(update_fields=["status", "status_before_moderation", "moderation_reason"])
        reports_resolve(contribution=locked)
        moderation_log(
            concertation=locked.concertation,
            action=ModerationAction.Action.HIDE,
            role=role,
            actor=actor,
            reason=reason,
            contribution=locked,
        )
        moderation_notify(
            locked.author,
            locked.title,
            _("Your contribution “%(title)s” was hidden by moderation: %(reason)s")
            % {"title": locked.title, "reason": reason},
        )
    return locked


@transaction.atomic
def contribution_restore(*, contribution: Contribution, actor, reason: str = "") -> Contribution:
    """Undo a hiding: back to the status it had (published if it was awaiting moderation)."""
    with contribution_changing(contribution.pk) as locked:
        role = moderator_role(concertation=locked.concertation, user=actor)
        if locked.status != Status.HIDDEN:
            raise ValidationError({"action": _("Only a hidden contribution can be restored.")})
        previous = locked.status_before_moderation
        locked.status = previous if previous in PUBLIC_STATUSES else Status.PUBLISHED
        locked.status_before_moderation = ""
        locked.moderation_reason = ""
        locked.save(update_fields=["status", "status_before_moderation", "moderation_reason"])
        moderation_log(
            concertation=locked.concertation,
            action=ModerationAction.Action.RESTORE,
            role=role,
            actor=actor,
            reason=reason_checked(reason, required=False),
            contribution=locked,
        )
        moderation_notify(
            locked.author,
            locked.title,
            _("Your contribution “%(title)s” is visible again.") % {"title": locked.title},
        )
    return locked


@transaction.atomic
def contribution_merge(
    *, contribution: Contribution, into: Contribution, actor, reason: str = ""
) -> Contribution:
    """Merge a twin idea into another: its votes and comments join the kept one (a person
    who voted on both keeps one vote, the kept idea's) and it stays as a public pointer."""
    if contribution.pk == into.pk:
        raise ValidationError({"into": _("An idea cannot be merged into itself.")})
    with contributions_changing(contribution.pk, into.pk) as rows:
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
        reason = reason_checked(reason, required=False)
        # One vote per person on the kept idea: a twin vote of the same person goes.
        engagement_move(source=merged, target=kept)
        _recount(kept)
        _recount(merged)
        merged.status_before_moderation = merged.status
        merged.status = Status.MERGED
        merged.merged_into = kept
        merged.save(update_fields=["status", "status_before_moderation", "merged_into"])
        moderation_log(
            concertation=merged.concertation,
            action=ModerationAction.Action.MERGE,
            role=role,
            actor=actor,
            reason=reason,
            contribution=merged,
            merged_into=kept,
        )
        moderation_notify(
            merged.author,
            merged.title,
            _(
                "Your contribution “%(title)s” was merged into the similar idea “%(kept)s”; its votes and comments follow it."
            )
            % {"title": merged.title, "kept": kept.title},
        )
    return kept


def _recount(contribution: Contribution) -> None:
    """Tallies counted again from the votes (a merge moves votes between ideas)."""
    counts = (
        Vote.objects.of(contribution)
        .filter(counted=True)
        .aggregate(
            votes_for=Count("pk", filter=Q(value__gt=0)),
            votes_against=Count("pk", filter=Q(value__lt=0)),
            rating_sum=Sum("value", default=0),
            rating_count=Count("pk"),
        )
    )
    if ideas_settings_of(contribution.concertation_id).vote_mode == IdeasSettings.VoteMode.RATING:
        counts.update(votes_for=0, votes_against=0)
    else:
        counts.update(rating_sum=0, rating_count=0)
    Contribution.objects.filter(pk=contribution.pk).update(**counts)
