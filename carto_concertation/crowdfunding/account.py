# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's part of the account page (declared in the manifest): the
projects the person carries as porteur, with where each stands and the pages to work on
it, and the projects they follow."""

from carto_concertation.accounts.panels import AccountPanel

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
