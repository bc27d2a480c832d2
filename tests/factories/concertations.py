# SPDX-License-Identifier: AGPL-3.0-or-later
"""Concertations (the participatory space), their phases and themes.

Concertations go through ``concertation_create``: it derives the slug from the title,
sanitises the description, defaults the perimeter to the union of the communes, checks
the ideas' settings (given to the ideas module it holds) and announces the new tileset.
Phases and themes go through the models (their constraints hold the invariants).
"""

from datetime import timedelta

import factory
from django.utils import timezone

from carto_concertation.concertations.models import (
    Concertation,
    Phase,
    SpaceLayer,
    SpaceModule,
    Theme,
)
from carto_concertation.concertations.services import concertation_create, space_module_add

from .layers import ContextLayerFactory
from .territories import TerritoryFactory

THEMES = (("Mobilité", "#1f77b4"), ("Habitat", "#ff7f0e"), ("Environnement", "#2ca02c"))


def open_phases() -> dict:
    """Contributions open since yesterday and for thirty days."""
    now = timezone.now()
    return {Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=1), now + timedelta(days=30))}


class ConcertationFactory(factory.django.DjangoModelFactory):
    """An open concertation taking points, lines and areas, with THEMES, on a new
    territory of two communes (its perimeter), without a PLUi unless given one
    (``plui_document=zoned_plui(territory)``). Created only (no ``build``)."""

    class Meta:
        model = Concertation

    territory = factory.SubFactory(TerritoryFactory, communes=2)
    title = factory.Sequence(lambda n: f"Concertation de test n° {n}")
    accepted_geometries = ("point", "line", "area")
    phases = factory.LazyFunction(open_phases)
    themes = THEMES
    status = Concertation.Status.OPEN

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return concertation_create(**kwargs)


class PhaseFactory(factory.django.DjangoModelFactory):
    """The information phase before a concertation's contributions (the factory's
    concertation has its contributions phase already: one phase per kind)."""

    class Meta:
        model = Phase

    concertation = factory.SubFactory(ConcertationFactory)
    kind = Phase.Kind.INFORMATION
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    ends_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    concertation = factory.SubFactory(ConcertationFactory)
    name = factory.Sequence(lambda n: f"Thème {n}")
    colour = "#3366cc"


class SpaceModuleFactory(factory.django.DjangoModelFactory):
    """A second module in a concertation (its ideas map is there already: one instance
    per module), through ``space_module_add``: the workshops, which keep no settings."""

    class Meta:
        model = SpaceModule

    concertation = factory.SubFactory(ConcertationFactory)
    module = "workshops"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return space_module_add(**kwargs)


class SpaceLayerFactory(factory.django.DjangoModelFactory):
    """A ready context layer chosen for a concertation's map (``raster_layer=`` with
    ``context_layer=None`` for a raster plan)."""

    class Meta:
        model = SpaceLayer

    concertation = factory.SubFactory(ConcertationFactory)
    context_layer = factory.SubFactory(ContextLayerFactory)
    raster_layer = None
    position = factory.Sequence(lambda n: n)
