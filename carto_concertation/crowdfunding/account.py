# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's part of the account page (declared in the manifest): the
projects the person carries as porteur, with where each stands and the pages to work on
it, and the projects they follow; for the territory's agents, the way to the projects
to review."""

from django.urls import reverse
from django.utils.translation import gettext as _

from carto_concertation.accounts.panels import AccountLink, AccountPanel

from .selectors.followup import projects_carried_by, projects_followed_by


def account_panel(user) -> AccountPanel | None:
    """The person's projects and follows; nothing for someone who has neither."""
    carried, followed = list(projects_carried_by(user)), list(projects_followed_by(user))
    if not carried and not followed:
        return None
    return AccountPanel(
        template="crowdfunding/followup/account_projects.html",
        items={"carried": carried, "followed": followed},
    )


def review_panel(user) -> AccountPanel | None:
    """For the territory's agents: the link to the queue of projects to review."""
    if not user.has_perm("crowdfunding.work"):
        return None
    return AccountPanel(
        links=[AccountLink(_("Crowdfunding: review the projects"), reverse("crowdfunding:manage"))]
    )
