# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads of the submission and review part: where a project may be submitted, a
porteur's own projects, and the agents' queue."""

from django.db.models import Case, F, IntegerField, QuerySet, Value, When

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import territories_for_role
from carto_concertation.crowdfunding import MODULE
from carto_concertation.territories.models import Territory
from carto_concertation.territories.selectors import module_on

from ..models import Project


def portal_territories() -> QuerySet[Territory]:
    """The territories whose portal takes projects (the module is on there), by name."""
    return Territory.objects.filter(module_on(MODULE, "")).order_by("name")


def projects_submitted_by(user) -> QuerySet[Project]:
    """The person's own projects, the latest first, wherever the portal is on."""
    if not user.is_authenticated:
        return Project.objects.none()
    return (
        Project.objects.filter(module_on(MODULE), submitter=user)
        .select_related("territory", "commune")
        .order_by("-created_at", "-pk")
    )


def territories_reviewed_by(user) -> QuerySet[Territory]:
    """The territories whose projects the person reviews (planners; all: an admin)."""
    return territories_for_role(user=user, role=Role.PLANNER).filter(module_on(MODULE, ""))


def review_queue(user) -> QuerySet[Project]:
    """The projects of the territories the person reviews: those waiting for a decision
    first (the oldest first, as they came), then the others, the latest decided first."""
    waiting = Case(
        When(status=Project.Status.SUBMITTED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Project.objects.filter(territory__in=territories_reviewed_by(user))
        .select_related("territory", "commune")
        .annotate(waits=waiting)
        .order_by("waits", F("decided_at").desc(nulls_first=True), "created_at", "pk")
    )
