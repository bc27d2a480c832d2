# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up's reads: a project's news of the works, who follows what, and a
person's own projects (as porteur) for their account page."""

from datetime import date as Date

from django.db.models import Q, QuerySet

from ..models import Project, ProjectFollower, WorksUpdate


def _shown_to(viewer, with_hidden: bool) -> Q:
    """The news ``viewer`` reads: all but a banned author's, which only its author sees
    (as if it were published) and, ``with_hidden``, the territory's agents (marked)."""
    if with_hidden:
        return Q()
    if viewer is not None and viewer.is_authenticated:
        return Q(hidden=False) | Q(author=viewer)
    return Q(hidden=False)


def project_news(project: Project, viewer=None, *, with_hidden: bool = False):
    """The news of the works of a project ``viewer`` reads, the newest first."""
    shown = _shown_to(viewer, with_hidden)
    return WorksUpdate.objects.filter(shown, project=project).order_by("-date", "-pk")


def news_of(project: Project, pk: int, viewer=None, *, with_hidden: bool = False):
    return (
        WorksUpdate.objects.filter(_shown_to(viewer, with_hidden), project=project, pk=pk)
        .select_related("project")
        .first()
    )


def is_following(project: Project, user) -> bool:
    if not user.is_authenticated:
        return False
    return ProjectFollower.objects.filter(project=project, user=user).exists()


def followers_count(project: Project) -> int:
    return ProjectFollower.objects.filter(project=project).count()


def projects_carried_by(user) -> QuerySet[Project]:
    """The projects the person submitted, whatever their status, the latest first."""
    return (
        Project.objects.filter(submitter=user)
        .select_related("commune")
        .order_by("-created_at", "-pk")
    )


def projects_followed_by(user) -> QuerySet[Project]:
    """The projects the person follows that the public sees, the latest followed first."""
    return (
        Project.objects.filter(followers__user=user, status__in=Project.PUBLIC_STATUSES)
        .select_related("commune")
        .order_by("-followers__created_at", "-pk")
    )


def inauguration_date(project: Project) -> Date | None:
    """The date of the news of the inauguration, None before it."""
    if project.status != Project.Status.INAUGURATED:
        return None
    return (
        WorksUpdate.objects.filter(project=project, inaugurated=True)
        .order_by("-date", "-pk")
        .values_list("date", flat=True)
        .first()
    )
