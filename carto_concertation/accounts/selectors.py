# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads on users and roles: who may act where."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

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


def _may_hold(user: User, role: Role) -> bool:
    """False when the request's roles, read once (user_roles_remember), hold no such role:
    a resident's pages then ask nothing of the roles' tables."""
    remembered = getattr(user, _REMEMBERED_ROLES, None)
    return remembered is None or role in remembered


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
    if not user.is_authenticated or not user.is_active or not _may_hold(user, role):
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
    if not user.is_authenticated or not user.is_active or not _may_hold(user, Role.RELAY):
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


# Retention (accounts.retention): which accounts each rule takes at a given moment.

# Staff are never erased by the job: an administration account is closed by a person.
_STAFF = Q(is_staff=True) | Q(is_superuser=True) | Q(role_assignments__isnull=False)


def years_before(moment: datetime, years: int) -> datetime:
    """The same day ``years`` earlier (28 February for a 29th in a common year)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def _with_last_seen() -> QuerySet[User]:
    """Users with ``last_seen``: their last sign-in, or when they joined if never."""
    return User.objects.annotate(last_seen=Coalesce("last_login", "date_joined"))


def accounts_unverified_expired(*, now: datetime) -> QuerySet[User]:
    """Accounts with no verified address, joined more than RETENTION_UNVERIFIED_DAYS ago
    (staff excepted)."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    joined_before = now - timedelta(days=settings.RETENTION_UNVERIFIED_DAYS)
    return (
        User.objects.filter(date_joined__lt=joined_before)
        .exclude(Exists(verified))
        .exclude(_STAFF)
        .order_by("pk")
    )


def accounts_inactive_unwarned(*, now: datetime) -> QuerySet[User]:
    """Accounts nobody signed in to for RETENTION_INACTIVE_YEARS, not warned yet (staff
    included: they are warned too); those the unverified rule removes are left to it."""
    since = years_before(now, settings.RETENTION_INACTIVE_YEARS)
    return (
        _with_last_seen()
        .filter(last_seen__lt=since, inactivity_warned_at__isnull=True)
        .exclude(pk__in=accounts_unverified_expired(now=now).values("pk"))
        .order_by("pk")
    )


def accounts_inactive_due(*, now: datetime) -> QuerySet[User]:
    """Accounts warned at least RETENTION_WARNING_DAYS ago, still inactive, not signed in
    since the warning: the ones to erase (staff never)."""
    since = years_before(now, settings.RETENTION_INACTIVE_YEARS)
    warned_before = now - timedelta(days=settings.RETENTION_WARNING_DAYS)
    return (
        _with_last_seen()
        .filter(inactivity_warned_at__lte=warned_before, last_seen__lt=since)
        .filter(last_seen__lt=F("inactivity_warned_at"))
        .exclude(_STAFF)
        .order_by("pk")
    )


def accounts_with_authenticators(*, search: str) -> QuerySet[User]:
    """The accounts with a second factor whose e-mail address or pseudonym holds
    ``search``, with how many authenticators each has (``authenticators``)."""
    return (
        User.objects.filter(Q(email__icontains=search) | Q(pseudonym__icontains=search))
        .annotate(authenticators=Count("authenticator"))
        .filter(authenticators__gt=0)
        .order_by("email")
    )
