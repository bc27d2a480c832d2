# SPDX-License-Identifier: AGPL-3.0-or-later
"""Geometries to WGS84 (EPSG:4326), for what a page or an answer gives in longitude and
latitude.

``GEOSGeometry.transform(4326)`` builds PROJ's transformation anew on every call: 1.1 ms,
twenty times the transformation of a point; the map page did it twice per answer. Here
it is built once per source reference system and thread (GDAL's transformations are not
to be shared between threads)."""

import threading

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSGeometry

WGS84 = 4326

_built = threading.local()


def _to_wgs84(srid: int) -> CoordTransform:
    transforms = getattr(_built, "transforms", None)
    if transforms is None:
        transforms = _built.transforms = {}
    if srid not in transforms:
        transforms[srid] = CoordTransform(SpatialReference(srid), SpatialReference(WGS84))
    return transforms[srid]


def wgs84(geometry: GEOSGeometry) -> GEOSGeometry:
    """A copy of ``geometry`` in WGS84 (the geometry itself is left as it is)."""
    if geometry.srid == WGS84:
        return geometry.clone()
    return geometry.transform(_to_wgs84(geometry.srid), clone=True)
