# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads on users and roles: who may act where."""

from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q, QuerySet

from carto_concertation.core.modules import NotificationKind, notification_kinds
from carto_concertation.territories.models import Commune, Territory

from .models import NotificationPreference, Role, User

# Where the roles of a request's user are kept once read (user_roles_remember).
_REMEMBERED_ROLES = "_remembered_roles"


def user_roles(*, user: User) -> set[str]:
    """Every role of a user; any signed-in user is a resident."""
    if not user.is_authenticated:
        return set()
    remembered = getattr(user, _REMEMBERED_ROLES, None)
    if remembered is not None:
        return set(remembered)
    roles = set(user.role_assignments.values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles | {Role.RESIDENT}


def user_roles_remember(*, user: User) -> set[str]:
    """The roles of a request's user, read once (accounts.middleware): the checks made
    later in the request (user_roles, user_is_administrator) reuse them."""
    roles = user_roles(user=user)
    setattr(user, _REMEMBERED_ROLES, frozenset(roles))
    return roles


def user_is_administrator(*, user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    remembered = getattr(user, _REMEMBERED_ROLES, None)
    if remembered is not None:
        return Role.ADMINISTRATOR in remembered
    return user.is_superuser or user.role_assignments.filter(role=Role.ADMINISTRATOR).exists()


def territories_for_role(*, user: User, role: Role) -> QuerySet[Territory]:
    """The territories where a user holds a territory-wide role (all of them for an admin)."""
    if user_is_administrator(user=user):
        return Territory.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Territory.objects.none()
    return Territory.objects.filter(
        role_assignments__user=user, role_assignments__role=role
    ).distinct()


def acting_role(*, user: User, territory: Territory, roles: Sequence[Role]) -> Role:
    """The first of ``roles`` the person holds on the territory, the one an action is
    logged in (administrator first: an administrator acts as one). A permission was
    checked before; none of the roles held is an error of the caller."""
    for role in roles:
        if role == Role.ADMINISTRATOR:
            if user_is_administrator(user=user):
                return role
        elif territories_for_role(user=user, role=role).filter(pk=territory.pk).exists():
            return role
    raise ValueError(f"{user} holds none of {roles} on {territory}")


def communes_for_relay(*, user: User) -> QuerySet[Commune]:
    """The communes where a relay may run workshops (all of them for an admin)."""
    if user_is_administrator(user=user):
        return Commune.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Commune.objects.none()
    return Commune.objects.filter(
        relay_assignments__user=user, relay_assignments__role=Role.RELAY
    ).distinct()


def notification_kind_map() -> dict[str, NotificationKind]:
    """Every kind of e-mail the modules declare (core.modules), by key, in their order.
    A key names one kind in the whole house: it is a form field, an API key and the
    stored row's kind."""
    found: dict[str, NotificationKind] = {}
    for kind in notification_kinds():
        if kind.key in found:
            raise ImproperlyConfigured(f"Two modules declare the kind of e-mail {kind.key!r}.")
        found[kind.key] = kind
    return found


def notification_choices(*, user: User) -> dict[str, bool]:
    """Whether the person accepts each kind of e-mail: their choice, else the default."""
    chosen = dict(user.notification_preferences.values_list("kind", "accepted"))
    return {key: chosen.get(key, kind.default) for key, kind in notification_kind_map().items()}


def notification_accepted(*, user: User, kind: str) -> bool:
    """Whether the person accepts ``kind`` (KeyError for a kind no module declares)."""
    default = notification_kind_map()[kind].default
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("accepted", flat=True)
        .first()
    )
    return default if chosen is None else chosen


def territory_ids_of(*, user: User) -> set[int] | None:
    """The territories a person acts in (a role held there; a relay's is their communes'
    territory): what their account page shows of a module switched off in some territories.
    None for an administrator and for a person with no such role: every territory."""
    if user_is_administrator(user=user) or not user.is_authenticated:
        return None
    found = set(
        user.role_assignments.filter(territory__isnull=False).values_list("territory", flat=True)
    )
    return found or None


def accounts_with_authenticators(*, search: str) -> QuerySet[User]:
    """The accounts with a second factor whose e-mail address or pseudonym holds
    ``search``, with how many authenticators each has (``authenticators``)."""
    return (
        User.objects.filter(Q(email__icontains=search) | Q(pseudonym__icontains=search))
        .annotate(authenticators=Count("authenticator"))
        .filter(authenticators__gt=0)
        .order_by("email")
    )
