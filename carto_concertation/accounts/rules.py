# SPDX-License-Identifier: AGPL-3.0-or-later
"""Object-level permissions as named predicates (django-rules), loaded at start-up.

``user.has_perm("territories.moderate", territory_or_commune)`` and its siblings are
what every write path checks; a commune is in scope when its territory is.
"""

import rules

from carto_concertation.territories.models import Commune, Territory

from .models import Role
from .selectors import communes_for_relay, territories_for_role, user_is_administrator


def _territory_of(obj: Territory | Commune | None) -> Territory | None:
    if isinstance(obj, Commune):
        return obj.territory
    return obj


@rules.predicate
def is_administrator(user) -> bool:
    return user_is_administrator(user=user)


def _holds_territory_role(role: Role):
    @rules.predicate(name=f"holds_{role.value}_role")
    def predicate(user, obj) -> bool:
        territory = _territory_of(obj)
        if territory is None:
            return False
        return territories_for_role(user=user, role=role).filter(pk=territory.pk).exists()

    return predicate


moderates_territory = _holds_territory_role(Role.MODERATOR)
plans_territory = _holds_territory_role(Role.PLANNER)


@rules.predicate
def relays_commune(user, commune) -> bool:
    if not isinstance(commune, Commune):
        return False
    return communes_for_relay(user=user).filter(pk=commune.pk).exists()


rules.add_perm("territories.administer", is_administrator)
rules.add_perm("territories.moderate", moderates_territory)
rules.add_perm("territories.plan", plans_territory)
rules.add_perm("territories.relay", relays_commune)
