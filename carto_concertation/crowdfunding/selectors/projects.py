# SPDX-License-Identifier: AGPL-3.0-or-later
"""A project from its slug, for every part: the public one, or the one a person may work on."""

from ..models import Project
from ..permissions import may_manage


def project_public(slug: str) -> Project | None:
    """The project as the public sees it (accepted by the collectivité, or refused with
    its reason), or None: a submitted project is not public yet."""
    return (
        Project.objects.select_related("territory", "commune")
        .filter(slug=slug, status__in=Project.PUBLIC_STATUSES)
        .first()
    )


def project_managed(user, slug: str) -> Project | None:
    """The project if this person may work on it (its porteur or the territory's agents),
    else None, whether it exists or not (a 404 tells nothing)."""
    project = Project.objects.select_related("territory", "commune").filter(slug=slug).first()
    if project is None or not may_manage(user, project):
        return None
    return project
