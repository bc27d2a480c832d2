# SPDX-License-Identifier: AGPL-3.0-or-later
"""Whether someone plans a concertation's territory, for the concertation's page (its link
to the planners' dashboard). The planning tools' own checks are the ideas module's
(contributions/planning/permissions.py)."""

from carto_concertation.accounts.selectors import user_is_administrator

from .models import Concertation


def is_planner_of(*, concertation: Concertation, user) -> bool:
    """Planners of the concertation's territory and administrators."""
    if user is None or not user.is_authenticated:
        return False
    return user_is_administrator(user=user) or user.has_perm(
        "territories.plan", concertation.territory
    )
