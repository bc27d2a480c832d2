# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may do what in a participatory budget. Registered as ``budgets.<action>`` from the
manifest; the object is an edition, or a row of one (a project, a paper ballot)."""

from carto_concertation.accounts.rules import (
    is_administrator,
    of_territory,
    plans_somewhere,
    plans_territory,
    relays_in_territory,
    relays_somewhere,
)


def _territory(obj):
    """The territory of an edition or of one of its rows."""
    edition = getattr(obj, "edition", obj)
    return getattr(edition, "territory", None)


PERMISSIONS = {
    # Run an edition: its settings, districts and phases, the analysis of the projects,
    # the results and the follow-up of the winners. The territory's planners.
    "run": is_administrator | of_territory(plans_territory, _territory),
    # Type in paper ballots at a polling station: the relays of the territory's communes.
    "enter_paper": is_administrator
    | of_territory(plans_territory, _territory)
    | of_territory(relays_in_territory, _territory),
    # Reach the agents' pages at all.
    "work": is_administrator | plans_somewhere | relays_somewhere,
}
