# SPDX-License-Identifier: AGPL-3.0-or-later
"""The services' dashboard's world: a territory of two communes, a category tree with
an SLA, a commune's roads service and the EPCI's lighting service, each with its agent,
and a resident."""

from dataclasses import dataclass

import pytest

from carto_concertation.accounts.models import User
from carto_concertation.signalements.models import Category, Service
from carto_concertation.territories.models import Commune, Territory
from tests.factories import TerritoryFactory, UserFactory
from tests.factories.signalements import CategoryFactory, ServiceFactory


@dataclass
class DeskWorld:
    territory: Territory
    first: Commune
    second: Commune
    voirie: Category
    pothole: Category
    lighting: Category
    roads: Service
    lights: Service
    road_agent: User
    light_agent: User
    resident: User


@pytest.fixture(name="desk")
def desk_world(db) -> DeskWorld:
    territory = TerritoryFactory(communes=2)
    first, second = territory.communes.order_by("insee")
    voirie = CategoryFactory(territory=territory, code="voirie", name="Voirie")
    pothole = CategoryFactory(
        territory=territory, parent=voirie, code="nid-de-poule", name="Nid-de-poule", sla_hours=48
    )
    lighting = CategoryFactory(territory=territory, code="eclairage", name="Éclairage public")
    road_agent = UserFactory(pseudonym="Agent voirie")
    light_agent = UserFactory(pseudonym="Agent éclairage")
    roads = ServiceFactory(
        territory=territory, commune=first, name="Voirie communale", members=[road_agent]
    )
    lights = ServiceFactory(territory=territory, name="Éclairage de la CC", members=[light_agent])
    return DeskWorld(
        territory,
        first,
        second,
        voirie,
        pothole,
        lighting,
        roads,
        lights,
        road_agent,
        light_agent,
        UserFactory(pseudonym="Habitante"),
    )
