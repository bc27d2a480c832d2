# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may hold a workshop where: relays in their communes, planners of the territory
and administrators everywhere in it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.territories.models import Commune

from .selectors import runs_workshops, workshop_communes_for


def workshop_runner_check(*, user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to run workshops."))
    if not runs_workshops(user=user):
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
    if (
        not workshop_communes_for(user=user, concertation=concertation)
        .filter(pk=commune.pk)
        .exists()
    ):
        raise ValidationError(
            {"commune": _("You do not run workshops in %(commune)s.") % {"commune": commune.name}}
        )
