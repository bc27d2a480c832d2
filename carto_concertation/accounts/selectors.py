# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads on users and roles: who may act where."""

from django.db.models import QuerySet

from carto_concertation.territories.models import Commune, Territory

from .models import Role, User


def user_roles(*, user: User) -> set[str]:
    """Every role of a user; any signed-in user is a resident."""
    if not user.is_authenticated:
        return set()
    roles = set(user.role_assignments.values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles | {Role.RESIDENT}


def user_is_administrator(*, user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
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


def communes_for_relay(*, user: User) -> QuerySet[Commune]:
    """The communes where a relay may run workshops (all of them for an admin)."""
    if user_is_administrator(user=user):
        return Commune.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Commune.objects.none()
    return Commune.objects.filter(
        relay_assignments__user=user, relay_assignments__role=Role.RELAY
    ).distinct()
