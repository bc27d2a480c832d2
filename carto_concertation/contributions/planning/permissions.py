# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may read a concertation's dashboard, answer from templates and make its bilan:
the planners of its territory and the administrators (``contributions.plan``, a
django-rules predicate declared in the ideas' manifest: ..permissions.PERMISSIONS)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import acting_role
from carto_concertation.concertations.models import Concertation


def planner_check(*, concertation: Concertation, user) -> str:
    """The role a planner's action is taken in, or PermissionDenied."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in as a planner of this territory."))
    if not user.has_perm("contributions.plan", concertation):
        raise PermissionDenied(_("Only the planners of this territory may do this."))
    return acting_role(
        user=user, territory=concertation.territory, roles=(Role.ADMINISTRATOR, Role.PLANNER)
    )


def is_planner_of(*, concertation: Concertation, user) -> bool:
    """Planners of the concertation's territory and administrators."""
    return (
        user is not None
        and user.is_authenticated
        and user.has_perm("contributions.plan", concertation)
    )
