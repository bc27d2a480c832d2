# SPDX-License-Identifier: AGPL-3.0-or-later
"""Territories (EPCI) and communes on the grid of geometry.py, through the models."""

import factory

from carto_concertation.territories.models import Commune, Territory

from .geometry import BLOCK, block_square, cell_of, square

# INSEE codes of valid départements other than the demo's first (18): 20 is not one.
_DEPARTMENTS = ("18", "19", "21", "22", "23", "24", "25", "26", "27", "28", "29")


def luhn_siren(prefix: int) -> str:
    """A nine-digit SIREN with a valid checksum, from an eight-digit prefix."""
    digits = f"{prefix:08d}"
    for check in range(10):
        candidate = digits + str(check)
        total = 0
        for position, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable: one check digit always fits")


def insee_code(n: int) -> str:
    """18500, 18501, … 18999, then 19000…: never one of the demo's communes (18017–18275)."""
    index = n + 500
    department = _DEPARTMENTS[index // 1000 % len(_DEPARTMENTS)]
    return f"{department}{index % 1000:03d}"


class TerritoryFactory(factory.django.DjangoModelFactory):
    """A territory on a block of 4 × 4 cells. ``TerritoryFactory(communes=3)`` also makes
    three communes, the first cells of its block (row by row from the south-west)."""

    class Meta:
        model = Territory
        skip_postgeneration_save = True

    siren = factory.Sequence(lambda n: luhn_siren(20000000 + n))
    name = factory.Sequence(lambda n: f"Communauté de communes n° {n}")
    geom = factory.Sequence(block_square)

    @factory.post_generation
    def communes(territory, create, count, **kwargs):
        if not count:
            return
        column, row = cell_of(territory.geom)
        for index in range(count):
            CommuneFactory(
                territory=territory,
                geom=square(column + index % BLOCK, row + index // BLOCK % BLOCK),
                **kwargs,
            )


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    insee = factory.Sequence(insee_code)
    name = factory.Sequence(lambda n: f"Commune {n}")
    population = 1000
    territory = factory.SubFactory(TerritoryFactory)
    geom = factory.Sequence(lambda n: square(n % 20, row=n // 20 % 20))
