# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may read a concertation's dashboard, answer from templates and make its bilan:
the planners of its territory and the administrators."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import user_is_administrator
from carto_concertation.concertations.models import Concertation


def planner_check(*, concertation: Concertation, user) -> str:
    """The role a planner's action is taken in, or PermissionDenied."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in as a planner of this territory."))
    if user_is_administrator(user=user):
        return Role.ADMINISTRATOR
    if user.has_perm("territories.plan", concertation.territory):
        return Role.PLANNER
    raise PermissionDenied(_("Only the planners of this territory may do this."))


def is_planner_of(*, concertation: Concertation, user) -> bool:
    """Planners of the concertation's territory and administrators."""
    try:
        planner_check(concertation=concertation, user=user)
    except PermissionDenied:
        return False
    return True
