# SPDX-License-Identifier: AGPL-3.0-or-later
"""Deterministic geometries: squares of a Lambert-93 grid, and places inside them.

Every factory draws from this grid, so that a test knows where things lie without the
demo's real data: a territory is a block of 4 × 4 cells, its communes are cells of that
block, a zoned PLUi cuts each commune in four quadrants (plui_documents.py).
"""

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, LineString, MultiPolygon, Point, Polygon

# Near Sancoins (Cher), so that the squares lie where real data would; a kilometre off the
# round figures, so that the round longitudes tests name (3.0: x = 700,000) fall inside a
# zone of the grid rather than on a border between two.
ORIGIN_X, ORIGIN_Y = 691_000, 6_630_000
CELL = 5_000
# A territory's block, in cells; the blocks of successive territories tile a 5 × 5 grid.
BLOCK = 4
WGS84 = 4326


def square(column: int, row: int = 0, size: float = CELL) -> MultiPolygon:
    """The square of the grid at (column, row), ``size`` metres wide (one cell by default)."""
    x, y = ORIGIN_X + column * CELL, ORIGIN_Y + row * CELL
    return box(x, y, x + size, y + size)


def box(xmin: float, ymin: float, xmax: float, ymax: float) -> MultiPolygon:
    """A rectangle in the storage SRID, as the MultiPolygon the outlines are stored as."""
    ring = ((xmin, ymin), (xmax, ymin), (xmax, ymax), (xmin, ymax), (xmin, ymin))
    return MultiPolygon(Polygon(ring), srid=settings.SRID)


def block_square(n: int) -> MultiPolygon:
    """The n-th territory's block (the 26th lies on the first again)."""
    return square(BLOCK * (n % 5), row=BLOCK * (n // 5 % 5), size=BLOCK * CELL)


def cell_of(geom: GEOSGeometry) -> tuple[int, int]:
    """The grid cell at the south-west corner of a geometry."""
    xmin, ymin, _xmax, _ymax = geom.extent
    return round((xmin - ORIGIN_X) / CELL), round((ymin - ORIGIN_Y) / CELL)


def spot(geom: GEOSGeometry, n: int = 0, step: float = 100) -> Point:
    """The n-th place of a small grid (11 × 11 places, ``step`` metres apart) around the
    centre of the south-west quarter of ``geom``'s extent, in the storage SRID.

    On a commune cut in quadrants by a zoned PLUi, every place lies in its first zone.
    """
    xmin, ymin, xmax, ymax = geom.extent
    centre_x, centre_y = xmin + (xmax - xmin) / 4, ymin + (ymax - ymin) / 4
    dx, dy = (n % 11 - 5) * step, (n // 11 % 11 - 5) * step
    return Point(centre_x + dx, centre_y + dy, srid=geom.srid or settings.SRID)


def wgs84(geom: GEOSGeometry) -> GEOSGeometry:
    """A copy in WGS84, as the API and the services take them."""
    return geom.transform(WGS84, clone=True)


def lonlat(geom: GEOSGeometry) -> list[float]:
    """A point's longitude and latitude (a GeoJSON position)."""
    point = wgs84(geom if geom.geom_type == "Point" else geom.point_on_surface)
    return [point.x, point.y]


def shape_at(point: Point, shape: str, metres: float = 200) -> GEOSGeometry:
    """A point, a line of ``metres`` going north-east from it, or a square of ``metres``
    whose south-west corner it is, in the point's SRID."""
    x, y = point.x, point.y
    if shape == "point":
        return Point(x, y, srid=point.srid)
    if shape == "line":
        return LineString((x, y), (x + metres, y + metres / 2), srid=point.srid)
    if shape == "area":
        ring = ((x, y), (x + metres, y), (x + metres, y + metres), (x, y + metres), (x, y))
        return Polygon(ring, srid=point.srid)
    raise ValueError(f"unknown shape {shape!r}: point, line or area")
