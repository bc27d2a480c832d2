# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may do what to a contribution: the ideas' permissions, as django-rules predicates
composed per action (declared in the manifest, registered as ``contributions.<action>``),
and the checks every write path makes first with them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.rules import (
    is_administrator,
    moderates_territory,
    of_territory,
    plans_territory,
)
from carto_concertation.accounts.selectors import acting_role
from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.selectors import space_allows

from .models import IDEAS_MODULE, Contribution

# What its author may still change: once the collectivité studies an idea, it stays as
# it was studied.
AUTHOR_EDITABLE = (Contribution.Status.SUBMITTED, Contribution.Status.PUBLISHED)


def signed_in_check(user, message: str) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(message)


# What the ideas let do in which kind of phase (the manifest's ``phases``): everything
# during the contributions phase, nothing in the others.
PHASES = {"contributions": frozenset({"propose", "comment", "edit"})}


def open_phase_check(concertation: Concertation, feature: str) -> None:
    """The space is open and its current phase lets the ideas do ``feature``."""
    if not space_allows(concertation=concertation, module=IDEAS_MODULE, feature=feature):
        raise ValidationError(
            {"concertation": _("This concertation does not take contributions now.")}
        )


def author_check(*, contribution: Contribution, user, statuses=AUTHOR_EDITABLE) -> None:
    """Its author, during the open phase, while the contribution is in ``statuses``."""
    signed_in_check(user, _("Sign in to change your contribution."))
    if contribution.author_id != user.pk:
        raise PermissionDenied(_("Only its author may change this contribution."))
    open_phase_check(contribution.concertation, "edit")
    if contribution.status not in statuses:
        raise ValidationError(
            {
                "status": _("A contribution that is %(status)s can no longer be changed.")
                % {"status": contribution.get_status_display()}
            }
        )


def _space_territory(concertation: Concertation):
    return concertation.territory


# Each action on a concertation's ideas, asked of the concertation.
PERMISSIONS = {
    "plan": is_administrator | of_territory(plans_territory, _space_territory),
    "moderate": is_administrator | of_territory(moderates_territory, _space_territory),
    "answer": is_administrator
    | of_territory(plans_territory, _space_territory)
    | of_territory(moderates_territory, _space_territory),
}


def moderator_role(*, concertation: Concertation, user) -> str:
    """The role a moderation action is taken in, or PermissionDenied."""
    signed_in_check(user, _("Sign in to moderate."))
    if not user.has_perm("contributions.moderate", concertation):
        raise PermissionDenied(_("Only the moderators of this territory may do this."))
    return acting_role(
        user=user, territory=concertation.territory, roles=(Role.ADMINISTRATOR, Role.MODERATOR)
    )


def answerer_role(*, concertation: Concertation, user) -> str:
    """Planners and moderators of the territory answer for the collectivité."""
    signed_in_check(user, _("Sign in to answer."))
    if not user.has_perm("contributions.answer", concertation):
        raise PermissionDenied(
            _("Only the planners and moderators of this territory may answer contributions.")
        )
    return acting_role(
        user=user,
        territory=concertation.territory,
        roles=(Role.ADMINISTRATOR, Role.PLANNER, Role.MODERATOR),
    )
