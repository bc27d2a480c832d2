# SPDX-License-Identifier: AGPL-3.0-or-later
"""The portal's section of the home page and its entry on a space's page (declared in
the manifest): the campaigns a resident can still join, and the way to the portal."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Project
from .selectors.portal import projects_filtered, status_counts

HOME_CAMPAIGNS = 3


def home_context(request: HttpRequest) -> Mapping[str, Any]:
    """The portal's counts and the campaigns under way ending soonest."""
    projects = projects_filtered()
    counts = status_counts(projects)
    if not counts["total"]:
        return {"crowdfunding_counts": None}
    campaigns = projects.filter(status=Project.Status.CAMPAIGN)[:HOME_CAMPAIGNS]
    return {"crowdfunding_counts": counts, "crowdfunding_campaigns": list(campaigns)}


def space_entry(space) -> tuple[str, str] | None:
    """The space's link to the portal; none while its territory has no project on the
    map."""
    projects = projects_filtered().filter(territory_id=space.territory_id)
    if not projects.exists():
        return None
    return _("Crowdfunding: the projects of the territory"), reverse("crowdfunding:portal")
