# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the submission and review tests share: a territory of two communes where the
portal is on, a porteur, another porteur, the territory's planner and a planner of
another territory; a project's fields as a porteur gives them (place in WGS84), and
photos good and bad."""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from carto_concertation.accounts.models import Role
from tests.factories import TerritoryFactory, UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.geometry import spot

WGS84 = 4326
# Near Paris: far outside the grid of the test territories.
OUTSIDE = Point(2.35, 48.85, srid=WGS84)


def wgs84(geom: GEOSGeometry) -> GEOSGeometry:
    return geom.transform(WGS84, clone=True)


def inside(commune, n: int = 0) -> Point:
    """A place in the commune, in WGS84."""
    return wgs84(spot(commune.geom, n))


def photo(name: str = "photo.jpg") -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 40)).save(output, format="JPEG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def not_a_photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"no image here", content_type="image/jpeg")


def project_data(world, **changes) -> dict:
    """A loan with interest for a solar roof, as the services take it."""
    today = timezone.localdate()
    data = {
        "title": "Toiture solaire de l’école",
        "summary": "Des panneaux sur le toit de l’école",
        "description": "Vingt kilowatts-crête sur le toit du groupe scolaire.",
        "theme": "energy",
        "geom": inside(world.second),
        "porteur_kind": "citizens",
        "porteur_name": "Énergies citoyennes",
        "modality": "loan_interest",
        "interest_rate": "1.80",
        "loan_months": 60,
        "goal": 20_000,
        "total_budget": 80_000,
        "campaign_starts_on": today + timedelta(days=10),
        "campaign_ends_on": today + timedelta(days=55),
        "platform": "collecticity",
        "campaign_url": "https://www.collecticity.fr/projets/toiture-solaire",
    }
    data.update(changes)
    return data


def as_json(data: dict) -> dict:
    """The same fields as a JSON body: GeoJSON, ISO dates."""
    body = {}
    for name, value in data.items():
        if isinstance(value, GEOSGeometry):
            value = {"type": value.geom_type, "coordinates": value.coords}
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        body[name] = value
    return body


def as_form(data: dict) -> dict:
    """The same fields as the submission page's form: coordinates, ISO dates."""
    form = {}
    for name, value in data.items():
        if isinstance(value, GEOSGeometry):
            form["longitude"], form["latitude"] = value.x, value.y
        elif value is None:
            form[name] = ""
        elif hasattr(value, "isoformat"):
            form[name] = value.isoformat()
        else:
            form[name] = value
    return form


@pytest.fixture(name="world")
def world_fixture(db):
    territory = TerritoryFactory(communes=2)
    first, second = territory.communes.order_by("pk")
    elsewhere = TerritoryFactory(communes=1)
    return SimpleNamespace(
        territory=territory,
        first=first,
        second=second,
        elsewhere=elsewhere,
        porteur=UserFactory(),
        other=UserFactory(),
        planner=user_with_role(Role.PLANNER, territory),
        foreign_planner=user_with_role(Role.PLANNER, elsewhere),
    )
