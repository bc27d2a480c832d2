# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the projects' tests share: an edition open for submissions on two districts,
places inside each (WGS84) and outside the territory, photos good and bad."""

import io
from types import SimpleNamespace

import pytest
from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import UserFactory
from tests.factories.budgets import EditionFactory
from tests.factories.geometry import spot

WGS84 = 4326
# Near Paris: far outside the grid of the test territories (near Sancoins).
OUTSIDE = Point(2.35, 48.85, srid=WGS84)


def wgs84(geom: GEOSGeometry) -> GEOSGeometry:
    return geom.transform(WGS84, clone=True)


def inside(district, n: int = 0) -> Point:
    """A place in the district, in WGS84."""
    return wgs84(spot(district.geom, n))


def area_in(district) -> GEOSGeometry:
    """A small square around a place of the district, in WGS84."""
    centre = spot(district.geom, 3)
    return wgs84(centre.buffer(50, quadsegs=1))


def photo(name: str = "photo.jpg") -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(output, format="JPEG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def not_a_photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"this is no image at all", content_type="image/jpeg")


@pytest.fixture(name="world")
def world_fixture(db):
    edition = EditionFactory(districts=2, phases="submission")
    first, second = edition.districts.order_by("pk")
    return SimpleNamespace(
        edition=edition, first=first, second=second, resident=UserFactory(), other=UserFactory()
    )
