# SPDX-License-Identifier: AGPL-3.0-or-later
"""The reads of engagement, on any target."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from .models import Ban, Comment, ModerationAction, Report


def account_banned(*, user, territory_id: int) -> bool:
    """Whether a ban is in force on this account in this territory (one query; none
    for an anonymous person)."""
    if user is None or not user.is_authenticated:
        return False
    return Ban.objects.in_force().filter(user=user, territory_id=territory_id).exists()


def bans_of(territories) -> QuerySet[Ban]:
    """The bans of these territories, in force first, then the record, latest first."""
    return (
        Ban.objects.filter(territory__in=territories)
        .select_related("territory", "user", "banned_by", "lifted_by")
        .order_by(F("lifted_at").asc(nulls_first=True), "-created_at", "-id")
    )


# What the public reads of a debate: published comments and placeholders of hidden ones.
SHOWN_COMMENT_STATUSES = (Comment.Status.PUBLISHED, Comment.Status.HIDDEN)


def published_comment_count(model: type[Model]) -> Coalesce:
    """An annotation for a queryset of ``model``: how many published comments each has."""
    counts = (
        Comment.objects.of_model(model)
        .filter(object_id=OuterRef("pk"), status=Comment.Status.PUBLISHED)
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def target_type_id(model: type[Model]) -> int:
    """The content type id of a target model (for the SQL that counts comments)."""
    return ContentType.objects.get_for_model(model).pk


def comment_threads(*, target: Model) -> QuerySet[Comment]:
    """The published comments (and placeholders of hidden ones) on ``target``, oldest
    first, each with its replies."""
    return (
        Comment.objects.of(target)
        .filter(parent=None, status__in=SHOWN_COMMENT_STATUSES)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.filter(status__in=SHOWN_COMMENT_STATUSES)
                .select_related("author")
                .order_by("created_at"),
            )
        )
        .order_by("created_at")
    )


def open_reports(*, to_attr: str = "open_reports") -> Prefetch:
    """Prefetch the reports not dealt with yet, oldest first (on a model's
    ``GenericRelation`` named ``reports``, or on comments)."""
    return Prefetch(
        "reports",
        queryset=Report.objects.filter(resolved_at__isnull=True).order_by("created_at"),
        to_attr=to_attr,
    )


def reported_ids(model: type[Model]) -> QuerySet:
    """The ids of the ``model`` rows with a report not dealt with yet (a subquery)."""
    return Report.objects.of_model(model).filter(resolved_at__isnull=True).values("object_id")


def moderation_log(*, space: Model) -> QuerySet[ModerationAction]:
    """A space's public log, most recent first."""
    return ModerationAction.objects.filter(
        space_type=ContentType.objects.get_for_model(space), space_id=space.pk
    ).order_by("-created_at", "-id")
