# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may hold a workshop where: relays in their communes, planners of the territory
and administrators everywhere in it. The workshops' permissions are django-rules
predicates composed per action (declared in the manifest, registered as
``workshops.<action>``); the checks below ask them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
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

from .models import Workshop
from .selectors import workshop_list_for

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


def workshop_of_runner(*, user, pk: int) -> Workshop:
    """The workshop ``pk`` among those the person runs or oversees (Http404 otherwise).
    Only a runner has any, so the runner check is asked only when none is found: a
    non-runner is refused, a runner told it is not there, and a found workshop costs no
    permission query of its own (its writes check their commune in the service)."""
    workshop = workshop_list_for(user=user).filter(pk=pk).first()
    if workshop is None:
        workshop_runner_check(user=user)
        raise Http404
    return workshop


def workshop_commune_check(*, user, concertation: Concertation, commune: Commune) -> None:
    """A relay's own communes; any commune of the territory for its planners.

    The commune's permission is asked first: granted, it shows that the person runs
    workshops, so the runner check is asked only of a refusal (to refuse a non-runner
    with its own message). One permission query per write (issue 23, point 1)."""
    allowed = (
        user is not None
        and user.is_authenticated
        and user.has_perm("workshops.run_in_commune", commune)
    )
    if not allowed:
        workshop_runner_check(user=user)
    if commune.territory_id != concertation.territory_id:
        raise ValidationError(
            {
                "commune": _("%(commune)s is not in the territory of this concertation.")
                % {"commune": commune.name}
            }
        )
    if not allowed:
        raise ValidationError(
            {"commune": _("You do not run workshops in %(commune)s.") % {"commune": commune.name}}
        )
