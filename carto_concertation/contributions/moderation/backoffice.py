# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas and the comments on them as the moderators' back office shows them
(core.modules ModeratedModel, declared in the manifest): their queue, their entries and
their actions, each action one of this package's services, whose rules stay theirs."""

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db.models.functions import Distance
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carto_concertation.core.modules.declarations import ModeratedModel, ModerationEntry
from carto_concertation.core.wgs84 import wgs84
from carto_concertation.engagement import selectors as engagement
from carto_concertation.engagement.models import Comment

from ..models import Contribution
from ..selectors import PUBLIC_STATUSES, moderation_queue
from .comments import comment_approve, comment_hide, comment_restore
from .contributions import (
    contribution_approve,
    contribution_hide,
    contribution_merge,
    contribution_restore,
)
from .reports import report_create

IDEA = "contributions.contribution"
COMMENT = "engagement.comment"
EXCERPT = 280
MERGE_CANDIDATES = 20
Status = Contribution.Status


def _idea_url(contribution: Contribution) -> str:
    if contribution.status not in PUBLIC_STATUSES:
        return ""
    return reverse("idea", args=[contribution.concertation.slug, contribution.pk])


def _reports(row) -> tuple:
    return tuple((r.reason, r.created_at) for r in getattr(row, "open_reports", ()))


def _idea_entry(idea: Contribution) -> ModerationEntry:
    reports = _reports(idea)
    if idea.status == Status.SUBMITTED:
        state, actions = "waiting", {"approve", "hide"}
    elif idea.status == Status.HIDDEN:
        state, actions = "hidden", {"restore"}
    elif idea.status in PUBLIC_STATUSES:
        state = "reported" if reports else "published"
        actions = {"approve", "hide", "merge"} if reports else {"hide", "merge"}
    else:
        state, actions = idea.status, set()
    place = wgs84(idea.geom.point_on_surface)
    return ModerationEntry(
        model=IDEA,
        pk=idea.pk,
        space_pk=idea.concertation_id,
        title=idea.title,
        excerpt=idea.text[:EXCERPT],
        author=idea.author.pseudonym if idea.author else "",
        url=_idea_url(idea),
        state=state,
        created_at=idea.created_at,
        reason=idea.moderation_reason,
        reports=reports,
        actions=frozenset(actions),
        supports=idea.votes_for,
        place=(round(place.x, 6), round(place.y, 6)),
        commune=idea.commune.name if idea.commune else "",
    )


def _ideas():
    return Contribution.objects.select_related(
        "author", "commune", "concertation"
    ).prefetch_related(engagement.open_reports())


def ideas_queue(space_pk: int) -> list[ModerationEntry]:
    contributions, _comments = moderation_queue(concertation=space_pk)
    ideas = contributions.select_related("commune", "concertation")
    return [_idea_entry(idea) for idea in ideas]


def ideas_hidden(space_pk: int) -> list[ModerationEntry]:
    hidden = _ideas().filter(concertation=space_pk, status=Status.HIDDEN)
    return [_idea_entry(idea) for idea in hidden.order_by("-updated_at")]


def ideas_counts(space_pk: int) -> dict[str, int]:
    # One query: the three counts are filtered aggregates of the space's ideas.
    reported = Q(status__in=PUBLIC_STATUSES, pk__in=engagement.reported_ids(Contribution))
    return Contribution.objects.filter(concertation=space_pk).aggregate(
        waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        reported=Count("pk", filter=reported),
        hidden=Count("pk", filter=Q(status=Status.HIDDEN)),
    )


def idea_entry(pk: int) -> ModerationEntry | None:
    idea = _ideas().filter(pk=pk).first()
    return _idea_entry(idea) if idea else None


def idea_merge_candidates(pk: int) -> list[ModerationEntry]:
    """The public ideas of the same concertation, nearest first."""
    idea = Contribution.objects.get(pk=pk)
    twins = (
        _ideas()
        .filter(concertation=idea.concertation_id, status__in=PUBLIC_STATUSES)
        .exclude(pk=pk)
        .annotate(distance=Distance("geom", idea.geom))
        .order_by("distance", "pk")[:MERGE_CANDIDATES]
    )
    return [_idea_entry(twin) for twin in twins]


def idea_links(pks: Sequence[int]) -> dict[int, tuple[str, str]]:
    public = Contribution.objects.filter(pk__in=pks, status__in=PUBLIC_STATUSES)
    return {
        idea.pk: (idea.title, _idea_url(idea)) for idea in public.select_related("concertation")
    }


def _idea(pk: int) -> Contribution:
    return Contribution.objects.get(pk=pk)


IDEAS = ModeratedModel(
    model=IDEA,
    label=gettext_lazy("idea"),
    queue=ideas_queue,
    hidden=ideas_hidden,
    counts=ideas_counts,
    entry=idea_entry,
    act={
        "approve": lambda pk, actor, reason: contribution_approve(
            contribution=_idea(pk), actor=actor, reason=reason
        ),
        "hide": lambda pk, actor, reason: contribution_hide(
            contribution=_idea(pk), actor=actor, reason=reason
        ),
        "restore": lambda pk, actor, reason: contribution_restore(
            contribution=_idea(pk), actor=actor, reason=reason
        ),
    },
    merge=lambda pk, into, actor, reason: contribution_merge(
        contribution=_idea(pk), into=_idea(into), actor=actor, reason=reason
    ),
    merge_candidates=idea_merge_candidates,
    report=lambda pk, reporter, reason: report_create(
        reporter=reporter, reason=reason, contribution=_idea(pk)
    ),
    links=idea_links,
)


# --- The comments on the ideas ----------------------------------------------------------


def _comments():
    """The comments whose target is an idea (another module's comments are its own)."""
    return (
        Comment.objects.filter(content_type=ContentType.objects.get_for_model(Contribution))
        .select_related("author")
        .prefetch_related(engagement.open_reports())
    )


def _comment_entry(comment: Comment, idea: Contribution) -> ModerationEntry:
    reports = _reports(comment)
    if comment.status == Comment.Status.SUBMITTED:
        state, actions = "waiting", {"approve", "hide"}
    elif comment.status == Comment.Status.HIDDEN:
        state, actions = "hidden", {"restore"}
    else:
        state = "reported" if reports else "published"
        actions = {"approve", "hide"} if reports else {"hide"}
    public = comment.status == Comment.Status.PUBLISHED
    return ModerationEntry(
        model=COMMENT,
        pk=comment.pk,
        space_pk=idea.concertation_id,
        title=_("Comment on “%(title)s”") % {"title": idea.title},
        excerpt=comment.text[:EXCERPT],
        author=comment.author.pseudonym if comment.author else "",
        url=_idea_url(idea) if public else "",
        state=state,
        created_at=comment.created_at,
        reason=comment.moderation_reason,
        reports=reports,
        actions=frozenset(actions),
    )


def _with_ideas(comments) -> list[ModerationEntry]:
    comments = list(comments)
    ideas = Contribution.objects.select_related("concertation").in_bulk(
        {c.object_id for c in comments}
    )
    return [_comment_entry(c, ideas[c.object_id]) for c in comments if c.object_id in ideas]


def comments_queue(space_pk: int) -> list[ModerationEntry]:
    _contributions, comments = moderation_queue(concertation=space_pk)
    return _with_ideas(comments)


def comments_hidden(space_pk: int) -> list[ModerationEntry]:
    hidden = _comments().filter(contribution__concertation=space_pk, status=Comment.Status.HIDDEN)
    return _with_ideas(hidden.order_by("-created_at"))


def comments_counts(space_pk: int) -> dict[str, int]:
    comments = Comment.objects.filter(contribution__concertation=space_pk)
    return {
        "waiting": comments.filter(status=Comment.Status.SUBMITTED).count(),
        "reported": comments.filter(
            Q(status=Comment.Status.PUBLISHED), pk__in=engagement.reported_ids(Comment)
        ).count(),
        "hidden": comments.filter(status=Comment.Status.HIDDEN).count(),
    }


def comment_entry(pk: int) -> ModerationEntry | None:
    found = _with_ideas(_comments().filter(pk=pk))
    return found[0] if found else None


def _comment(pk: int) -> Comment:
    return Comment.objects.get(pk=pk)


COMMENTS = ModeratedModel(
    model=COMMENT,
    label=gettext_lazy("comment"),
    queue=comments_queue,
    hidden=comments_hidden,
    counts=comments_counts,
    entry=comment_entry,
    act={
        "approve": lambda pk, actor, reason: comment_approve(
            comment=_comment(pk), actor=actor, reason=reason
        ),
        "hide": lambda pk, actor, reason: comment_hide(
            comment=_comment(pk), actor=actor, reason=reason
        ),
        "restore": lambda pk, actor, reason: comment_restore(
            comment=_comment(pk), actor=actor, reason=reason
        ),
    },
    report=lambda pk, reporter, reason: report_create(
        reporter=reporter, reason=reason, comment=_comment(pk)
    ),
)
