# SPDX-License-Identifier: AGPL-3.0-or-later
"""core.wgs84: geometries to WGS84 with PROJ's transformation built once per thread."""

from concurrent.futures import ThreadPoolExecutor

from django.contrib.gis.geos import Point, Polygon

from carto_concertation.core import wgs84 as module
from carto_concertation.core.wgs84 import wgs84

SANCOINS_L93 = (703_000.0, 6_636_000.0)


def test_it_gives_what_geos_own_transformation_gives_and_leaves_the_geometry_alone():
    x, y = SANCOINS_L93
    square = Polygon.from_bbox((x, y, x + 500, y + 500))
    square.srid = 2154
    for geometry in (Point(x, y, srid=2154), square):
        before = geometry.wkt
        assert wgs84(geometry).equals_exact(geometry.transform(4326, clone=True), 1e-12)
        assert wgs84(geometry).srid == 4326
        assert geometry.wkt == before and geometry.srid == 2154
    place = wgs84(Point(x, y, srid=2154))
    assert 2.9 < place.x < 3.1 and 46.7 < place.y < 47.0  # longitude first


def test_a_geometry_in_wgs84_already_comes_back_as_a_copy():
    place = Point(2.91, 46.82, srid=4326)
    copy = wgs84(place)
    assert copy.equals_exact(place, 0) and copy is not place


def test_each_thread_builds_its_transformation_once():
    mine = module._to_wgs84(2154)
    assert module._to_wgs84(2154) is mine
    with ThreadPoolExecutor(max_workers=1) as other:
        theirs = other.submit(module._to_wgs84, 2154).result()
    assert theirs is not mine
