# SPDX-License-Identifier: AGPL-3.0-or-later
"""The small world of the workflow's tests: a territory of two communes, the voirie of
the first commune (its agent) and of the EPCI (another agent), a resident's open report
routed to the commune's voirie."""

from dataclasses import dataclass

import pytest

from carto_concertation.accounts.models import User
from carto_concertation.signalements.models import Category, Report, Service
from tests.factories import UserFactory
from tests.factories.signalements import CategoryFactory, ReportFactory, ServiceFactory


@dataclass
class World:
    category: Category
    commune_service: Service
    epci_service: Service
    agent: User
    other_agent: User
    resident: User
    report: Report


@pytest.fixture(name="world")
def world_fixture() -> World:
    category = CategoryFactory(name="Éclairage public")
    territory = category.territory
    agent, other_agent = UserFactory(), UserFactory()
    commune_service = ServiceFactory(
        territory=territory,
        commune=territory.communes.order_by("insee").first(),
        name="Services techniques de la commune",
        members=[agent],
    )
    epci_service = ServiceFactory(
        territory=territory, name="Voirie intercommunale", members=[other_agent]
    )
    resident = UserFactory()
    report = ReportFactory(category=category, service=commune_service, author=resident)
    return World(category, commune_service, epci_service, agent, other_agent, resident, report)
