# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads for the agents running editions: the editions they run, the territories they
may open one in, an edition's analysis queue."""

from django.db.models import Case, Count, Q, QuerySet, When

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import territories_for_role
from carto_concertation.territories.models import Territory

from ..models import Edition, Project
from .projects import supporter_count


def territories_run_by(user) -> QuerySet[Territory]:
    """Where the person may open an edition: the territories they plan (all: an admin)."""
    return territories_for_role(user=user, role=Role.PLANNER).order_by("name")


def editions_run_by(user) -> QuerySet[Edition]:
    """The editions of the territories the person runs, newest first, with their counts."""
    return (
        Edition.objects.filter(territory__in=territories_run_by(user))
        .select_related("territory")
        .annotate(
            project_count=Count("projects", distinct=True),
            to_analyse=Count(
                "projects", filter=Q(projects__status=Project.Status.PROPOSED), distinct=True
            ),
        )
        .order_by("-year", "title")
    )


def analysis_queue(edition: Edition) -> QuerySet[Project]:
    """The edition's projects as the analysis sees them: those to decide first, then by
    number; each with its supporters' count and its district."""
    return (
        Project.objects.filter(edition=edition)
        .select_related("district", "merged_into")
        .annotate(supporter_count=supporter_count())
        .alias(decided=Case(When(status=Project.Status.PROPOSED, then=0), default=1))
        .order_by("decided", "number")
    )
