# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes on users and roles, one transaction each."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carto_concertation.territories.models import Commune, Territory

from .models import TERRITORY_ROLES, Role, RoleAssignment, User


def validate_role_scope(
    *, role: str, territory: Territory | None, communes: Iterable[Commune]
) -> None:
    """The scope a role carries: none for an administrator, a territory for the others,
    and for a relay at least one commune, all inside that territory."""
    communes = list(communes)
    if role == Role.RESIDENT:
        raise ValidationError({"role": _("Every user is a resident; this role is not granted.")})
    if role == Role.ADMINISTRATOR:
        if territory is not None or communes:
            raise ValidationError(
                {
                    "territory": _(
                        "An administrator acts on the whole platform: leave the territory empty."
                    )
                }
            )
        return
    if role not in TERRITORY_ROLES:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    if territory is None:
        raise ValidationError({"territory": _("This role is scoped to a territory: choose one.")})
    if role == Role.RELAY:
        if not communes:
            raise ValidationError({"communes": _("A relay needs at least one commune.")})
        outside = [c.insee for c in communes if c.territory_id != territory.pk]
        if outside:
            raise ValidationError(
                {
                    "communes": _("Communes outside %(territory)s: %(insee)s.")
                    % {"territory": territory.name, "insee": ", ".join(outside)}
                }
            )
    elif communes:
        raise ValidationError({"communes": _("Only a relay is scoped to communes.")})


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: str,
    territory: Territory | None = None,
    communes: Iterable[Commune] = (),
) -> RoleAssignment:
    """Give a user a role in its scope; granting it again widens a relay's communes."""
    communes = list(communes)
    validate_role_scope(role=role, territory=territory, communes=communes)
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, territory=territory
    )
    if communes:
        assignment.communes.add(*communes)
    return assignment


@transaction.atomic
def user_create(
    *, email: str, pseudonym: str, password: str | None = None, is_superuser: bool = False
) -> User:
    """A new account; without a password it cannot sign in until one is set."""
    email = User.objects.normalize_email(email).strip()
    pseudonym = pseudonym.strip()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account already uses this e-mail address.")})
    if User.objects.filter(pseudonym__iexact=pseudonym).exists():
        raise ValidationError({"pseudonym": _("This pseudonym is already taken.")})
    manager = User.objects
    create = manager.create_superuser if is_superuser else manager.create_user
    return create(email=email, pseudonym=pseudonym, password=password)
