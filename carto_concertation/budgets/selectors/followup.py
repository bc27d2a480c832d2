# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads of the follow-up of the winners: the achievements of the published editions, a
winner's news and whether a person follows it."""

from django.contrib.gis.db.models.functions import Transform
from django.db.models import Max, OuterRef, QuerySet, Subquery

from carto_concertation.budgets import MODULE
from carto_concertation.territories.selectors import module_on

from ..models import Edition, Project, ProjectFollower, ProjectUpdate

FOLLOWED_STATUSES = (Project.Status.WINNER, Project.Status.DONE)
WGS84 = 4326


def achievements(*, edition: str = "", realisation: str = "") -> QuerySet[Project]:
    """The winners of the published editions, newest edition first, with the date of
    their last news (``last_news``); filtered by edition slug and realisation
    (``"study"`` also takes the winners whose follow-up has not started)."""
    projects = (
        Project.objects.filter(status__in=FOLLOWED_STATUSES, edition__is_published=True)
        .filter(module_on(MODULE, "edition__territory"))
        .select_related("edition", "district")
        .annotate(last_news=Max("updates__date"), geom_wgs84=Transform("geom", WGS84))
        .order_by("-edition__year", "edition__title", "number")
    )
    if edition:
        projects = projects.filter(edition__slug=edition)
    if realisation == Project.Realisation.STUDY:
        projects = projects.filter(realisation__in=["", Project.Realisation.STUDY])
    elif realisation:
        projects = projects.filter(realisation=realisation)
    return projects


def achievement_editions() -> QuerySet[Edition]:
    """The published editions that have winners: the page's edition filter."""
    winners = Project.objects.filter(edition=OuterRef("pk"), status__in=FOLLOWED_STATUSES)
    return (
        Edition.objects.filter(is_published=True)
        .annotate(first_winner=Subquery(winners.values("pk")[:1]))
        .filter(first_winner__isnull=False)
        .order_by("-year", "title")
    )


def followed_project(*, slug: str, number: int) -> Project | None:
    """A winner of a published edition, by its edition's slug and its number."""
    return (
        Project.objects.filter(
            edition__slug=slug,
            edition__is_published=True,
            number=number,
            status__in=FOLLOWED_STATUSES,
        )
        .filter(module_on(MODULE, "edition__territory"))
        .select_related("edition", "district")
        .first()
    )


def project_news(project: Project) -> QuerySet[ProjectUpdate]:
    """Its news, the latest first."""
    return ProjectUpdate.objects.filter(project=project).order_by("-date", "-pk")


def is_following(project: Project, user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and ProjectFollower.objects.filter(project=project, user=user).exists()
    )


def edition_winners(edition: Edition) -> QuerySet[Project]:
    """The winners of one edition (the agents' follow-up page)."""
    return (
        Project.objects.filter(edition=edition, status__in=FOLLOWED_STATUSES)
        .annotate(last_news=Max("updates__date"))
        .order_by("number")
    )


def realisation_of(project: Project) -> str:
    """Its realisation, "study" while the follow-up has not started."""
    return project.realisation or Project.Realisation.STUDY
