# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may hold a workshop where: relays in their communes, planners of the territory
and administrators everywhere in it. The workshops' permissions are django-rules
predicates composed per action (declared in the manifest, registered as
``workshops.<action>``); the checks below ask them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from carto_concertation.accounts.rules import (
    is_administrator,
    plans_somewhere,
    plans_territory,
    relays_commune,
    relays_somewhere,
)
from carto_concertation.concertations.models import Concertation
from carto_concertation.territories.models import Commune

PERMISSIONS = {
    # Holding workshops at all (the workshops' pages and API).
    "run": is_administrator | plans_somewhere | relays_somewhere,
    # Holding one in this commune.
    "run_in_commune": is_administrator | plans_territory | relays_commune,
}


def workshop_runner_check(*, user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to run workshops."))
    if not user.has_perm("workshops.run"):
        raise PermissionDenied(_("Only relays and planners run map workshops."))


def workshop_commune_check(*, user, concertation: Concertation, commune: Commune) -> None:
    """A relay's own communes; any commune of the territory for its planners."""
    workshop_runner_check(user=user)
    if commune.territory_id != concertation.territory_id:
        raise ValidationError(
            {
                "commune": _("%(commune)s is not in the territory of this concertation.")
                % {"commune": commune.name}
            }
        )
    if not user.has_perm("workshops.run_in_commune", commune):
        raise ValidationError(
            {"commune": _("You do not run workshops in %(commune)s.") % {"commune": commune.name}}
        )
