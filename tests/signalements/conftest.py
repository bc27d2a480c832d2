# SPDX-License-Identifier: AGPL-3.0-or-later
"""A small territory for the signalements: two communes side by side, a category tree
(voirie › nid-de-poule with a question, éclairage), a triage service of the EPCI."""

import io
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from carto_concertation.signalements.models import Category, CategoryQuestion, Service
from carto_concertation.territories.models import Commune, Territory
from tests.factories import TerritoryFactory
from tests.factories.signalements import CategoryFactory, CategoryQuestionFactory, ServiceFactory


@dataclass
class World:
    territory: Territory
    first: Commune
    second: Commune
    voirie: Category
    pothole: Category
    lighting: Category
    depth: CategoryQuestion
    triage: Service


def inside(commune: Commune, dx: float = 0, dy: float = 0) -> Point:
    """A point (in WGS84) near the middle of a commune."""
    centre = commune.geom.centroid
    point = Point(centre.x + dx, centre.y + dy, srid=settings.SRID)
    point.transform(4326)
    return point


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(output, "PNG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")


@pytest.fixture
def world(db) -> World:
    territory = TerritoryFactory(communes=2)
    first, second = territory.communes.order_by("insee")
    voirie = CategoryFactory(territory=territory, code="voirie", name="Voirie")
    pothole = CategoryFactory(
        territory=territory, parent=voirie, code="nid-de-poule", name="Nid-de-poule"
    )
    lighting = CategoryFactory(territory=territory, code="eclairage", name="Éclairage public")
    depth = CategoryQuestionFactory(
        category=pothole,
        code="profondeur",
        label="Profondeur (cm) ?",
        kind=CategoryQuestion.Kind.NUMBER,
        required=True,
    )
    triage = ServiceFactory(territory=territory, name="Accueil de la CC", is_triage=True)
    return World(territory, first, second, voirie, pothole, lighting, depth, triage)
