# SPDX-License-Identifier: AGPL-3.0-or-later
"""factory_boy factories with deterministic geometries (squares on a Lambert-93 grid)."""

import factory
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon

from carto_concertation.accounts.models import User
from carto_concertation.territories.models import Commune, Territory

# Near Sancoins (Cher), so that the squares lie where real data would.
ORIGIN_X, ORIGIN_Y = 690_000, 6_630_000
CELL = 5_000


def square(column: int, row: int = 0, size: float = CELL) -> MultiPolygon:
    x, y = ORIGIN_X + column * CELL, ORIGIN_Y + row * CELL
    ring = ((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y))
    return MultiPolygon(Polygon(ring), srid=settings.SRID)


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


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    siren = factory.Sequence(lambda n: luhn_siren(20000000 + n))
    name = factory.Sequence(lambda n: f"Communauté de communes n° {n}")
    geom = factory.Sequence(lambda n: square(4 * (n % 5), row=4 * (n // 5 % 5), size=4 * CELL))


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    insee = factory.Sequence(lambda n: f"18{n + 500:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    population = 1000
    territory = factory.SubFactory(TerritoryFactory)
    geom = factory.Sequence(lambda n: square(n % 20, row=n // 20 % 20))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    pseudonym = factory.Sequence(lambda n: f"Personne {n}")
    password = factory.django.Password("correct horse battery")
