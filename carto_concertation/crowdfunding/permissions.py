# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may do what on the crowdfunding portal. Registered as ``crowdfunding.<action>``
from the manifest; the object is a project (or a territory for the portal's own pages).

The porteur's own rights on their project (update its figures while it is in campaign,
post news of its works) are checked by the services against the submitter, not here:
they hold for one project, not for a role."""

from carto_concertation.accounts.rules import (
    is_administrator,
    of_territory,
    plans_somewhere,
    plans_territory,
)


def _territory(obj):
    """The territory of a project, or the territory itself."""
    return getattr(obj, "territory", obj)


PERMISSIONS = {
    # Review the projects of the territory (accept, refuse), correct their figures, import
    # the platforms' exports, post news of the works: the territory's planners (agents).
    "review": is_administrator | of_territory(plans_territory, _territory),
    # Reach the agents' pages at all.
    "work": is_administrator | plans_somewhere,
}


def is_porteur(user, project) -> bool:
    """The account that submitted the project."""
    return bool(user.is_authenticated and project.submitter_id == user.pk)


def may_manage(user, project) -> bool:
    """Its porteur or the territory's agents: who may update its figures and news."""
    return is_porteur(user, project) or user.has_perm("crowdfunding.review", project)
