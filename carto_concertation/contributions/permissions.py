# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may do what to a contribution: the checks every write path makes first."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import user_is_administrator
from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.selectors import contributions_are_open

from .models import Contribution

# What its author may still change: once the collectivité studies an idea, it stays as
# it was studied.
AUTHOR_EDITABLE = (Contribution.Status.SUBMITTED, Contribution.Status.PUBLISHED)


def signed_in_check(user, message: str) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(message)


def open_phase_check(concertation: Concertation) -> None:
    if not contributions_are_open(concertation=concertation):
        raise ValidationError(
            {"concertation": _("This concertation does not take contributions now.")}
        )


def author_check(*, contribution: Contribution, user, statuses=AUTHOR_EDITABLE) -> None:
    """Its author, during the open phase, while the contribution is in ``statuses``."""
    signed_in_check(user, _("Sign in to change your contribution."))
    if contribution.author_id != user.pk:
        raise PermissionDenied(_("Only its author may change this contribution."))
    open_phase_check(contribution.concertation)
    if contribution.status not in statuses:
        raise ValidationError(
            {
                "status": _("A contribution that is %(status)s can no longer be changed.")
                % {"status": contribution.get_status_display()}
            }
        )


def moderator_role(*, concertation: Concertation, user) -> str:
    """The role a moderation action is taken in, or PermissionDenied."""
    signed_in_check(user, _("Sign in to moderate."))
    if user_is_administrator(user=user):
        return Role.ADMINISTRATOR
    if user.has_perm("territories.moderate", concertation.territory):
        return Role.MODERATOR
    raise PermissionDenied(_("Only the moderators of this territory may do this."))


def answerer_role(*, concertation: Concertation, user) -> str:
    """Planners and moderators of the territory answer for the collectivité."""
    signed_in_check(user, _("Sign in to answer."))
    if user_is_administrator(user=user):
        return Role.ADMINISTRATOR
    if user.has_perm("territories.plan", concertation.territory):
        return Role.PLANNER
    if user.has_perm("territories.moderate", concertation.territory):
        return Role.MODERATOR
    raise PermissionDenied(
        _("Only the planners and moderators of this territory may answer contributions.")
    )
