# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may do what in a consultation. Registered as ``surveys.<action>`` from the
manifest; the object is a questionnaire, or a row of one."""

from carto_concertation.accounts.rules import (
    is_administrator,
    moderates_territory,
    of_territory,
    plans_somewhere,
    plans_territory,
    relays_in_territory,
    relays_somewhere,
)


def _territory(obj):
    """The territory of a questionnaire or of one of its rows (a page, a question, a
    response, an answer), found by walking up to the questionnaire."""
    while obj is not None and not hasattr(obj, "territory"):
        parent = next(
            (n for n in ("questionnaire", "page", "response", "answer") if hasattr(obj, n)), None
        )
        obj = getattr(obj, parent) if parent else None
    return getattr(obj, "territory", None)


PERMISSIONS = {
    # Build a questionnaire, publish it and its results, read every answer, export.
    "organise": is_administrator | of_territory(plans_territory, _territory),
    # Read the free texts and publish or hide them.
    "moderate": is_administrator
    | of_territory(plans_territory, _territory)
    | of_territory(moderates_territory, _territory),
    # Type in answers given on paper or in a workshop: the relays of the territory.
    "enter_answers": is_administrator
    | of_territory(plans_territory, _territory)
    | of_territory(relays_in_territory, _territory),
    # Reach the agents' pages at all.
    "work": is_administrator | plans_somewhere | relays_somewhere,
}
