# SPDX-License-Identifier: AGPL-3.0-or-later
"""Object-level permissions as named predicates (django-rules), loaded at start-up.

``user.has_perm("territories.moderate", territory_or_commune)`` and its siblings are
what every write path checks; a commune is in scope when its territory is. The
predicates below are the house's vocabulary of who someone is where; each participation
module composes them per action in its manifest (``permissions``: ``"moderate":
is_administrator | of_territory(moderates_territory, ...)``), and core.modules registers
them as ``<app_label>.<action>``: one idiom for every permission (docs/modules.md).
"""

from collections.abc import Callable
from typing import Any

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
        # A commune's territory by its id: the row itself is not read.
        territory_id = obj.territory_id if isinstance(obj, Commune) else getattr(obj, "pk", None)
        if territory_id is None:
            return False
        return territories_for_role(user=user, role=role).filter(pk=territory_id).exists()

    return predicate


moderates_territory = _holds_territory_role(Role.MODERATOR)
plans_territory = _holds_territory_role(Role.PLANNER)


@rules.predicate
def relays_commune(user, commune) -> bool:
    if not isinstance(commune, Commune):
        return False
    return communes_for_relay(user=user).filter(pk=commune.pk).exists()


@rules.predicate
def relays_in_territory(user, obj) -> bool:
    """A relay of at least one commune of the territory (or of this commune's)."""
    territory = _territory_of(obj)
    if territory is None:
        return False
    return communes_for_relay(user=user).filter(territory=territory).exists()


@rules.predicate
def plans_somewhere(user) -> bool:
    return territories_for_role(user=user, role=Role.PLANNER).exists()


@rules.predicate
def relays_somewhere(user) -> bool:
    return communes_for_relay(user=user).exists()


def of_territory(
    predicate: rules.Predicate, territory_of: Callable[[Any], Territory | Commune | None]
) -> rules.Predicate:
    """``predicate`` asked of the territory of the object a module checks (its space,
    one of its rows): ``of_territory(moderates_territory, lambda space: space.territory)``."""

    @rules.predicate(name=f"{predicate.name}_of_territory")
    def adapted(user, obj) -> bool:
        return obj is not None and predicate.test(user, territory_of(obj))

    return adapted


rules.add_perm("territories.administer", is_administrator)
rules.add_perm("territories.moderate", moderates_territory)
rules.add_perm("territories.plan", plans_territory)
rules.add_perm("territories.relay", relays_commune)
