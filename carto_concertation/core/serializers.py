# SPDX-License-Identifier: AGPL-3.0-or-later
import json
import math

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.contrib.rest_framework_gis import build_geometry_geo_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from .parsers import json_too_deep

# How deep each GeoJSON type nests its positions (RFC 7946, 3.1), and how many
# positions its smallest part holds (a line two, a polygon's ring four).
_NESTING = {
    "Point": (0, 1),
    "MultiPoint": (1, 1),
    "LineString": (1, 2),
    "MultiLineString": (2, 2),
    "Polygon": (2, 4),
    "MultiPolygon": (3, 4),
}


def geojson_geometry(value) -> GEOSGeometry:
    """A GeoJSON geometry object (or its JSON text) as a WGS84 GEOSGeometry, or a
    ValidationError saying what is wrong: only GeoJSON, of finite coordinates and never
    empty. WKT, WKB or an EWKT naming another SRID would reach the checks in a
    reference system they do not expect; an empty point has no place to check."""
    not_geojson = _("Give a GeoJSON geometry object (WKT and WKB are not taken).")
    if isinstance(value, str):
        if json_too_deep(value) is not None:
            raise ValidationError(not_geojson)
        try:
            value = json.loads(value, parse_constant=_no_constant)
        except ValueError as exc:
            raise ValidationError(not_geojson) from exc
    if not isinstance(value, dict):
        raise ValidationError(not_geojson)
    if value.get("type") == "GeometryCollection":
        parts = value.get("geometries")
        if not isinstance(parts, list) or not parts:
            raise ValidationError(_("A GeometryCollection without geometries."))
        for part in parts:
            if not isinstance(part, dict):
                raise ValidationError(_("A GeometryCollection holds GeoJSON geometries."))
            _coordinates_check(part)
    else:
        _coordinates_check(value)
    try:
        return GEOSGeometry(json.dumps(value), srid=4326)
    except (GEOSException, GDALException, ValueError, TypeError) as exc:
        raise ValidationError(
            _("This is not a GeoJSON geometry: %(reason)s.") % {"reason": exc}
        ) from exc


# A place in Sancoins, in the demo territory: a request built from the examples reaches
# the checks past the geometry (perimeter, zones, duplicates), a fuzzer's too.
EXAMPLE = {"type": "Point", "coordinates": [2.9095, 46.8184]}


@extend_schema_field({**build_geometry_geo_schema(), "example": EXAMPLE})
class GeoJsonGeometryField(GeometryField):
    """A GeoJSON geometry (RFC 7946, WGS84) that describes itself in the OpenAPI schema
    whatever its source (a selector's ``geom_wgs84`` annotation, or a request body,
    read by ``geojson_geometry``). A source that is text is GeoJSON PostGIS wrote
    (``core.geojson.geojson_wgs84``), rounded already."""

    def to_representation(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return super().to_representation(value)

    def to_internal_value(self, value) -> GEOSGeometry:
        return geojson_geometry(value)


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's, refusing a NUL byte by name (PostgreSQL cannot look one up: a 500)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            raise ValidationError(_("Null characters are not allowed."))
        return super().to_internal_value(data)


def _coordinates_check(value: dict) -> None:
    kind = value.get("type")
    if kind not in _NESTING:
        raise ValidationError(
            _("Unknown GeoJSON geometry type: %(type)s.") % {"type": str(kind)[:40]}
        )
    nesting, smallest = _NESTING[kind]
    if not _positions_ok(value.get("coordinates"), nesting, smallest):
        raise ValidationError(
            _(
                "The coordinates of this %(type)s are missing, empty, of the wrong shape or"
                " not finite [longitude, latitude] numbers."
            )
            % {"type": kind}
        )


def _no_constant(name: str):
    raise ValueError(name)


def _positions_ok(value, nesting: int, smallest: int) -> bool:
    if nesting == 0:
        return isinstance(value, list) and len(value) in (2, 3) and all(map(_finite, value))
    if not isinstance(value, list) or len(value) < (smallest if nesting == 1 else 1):
        return False
    return all(_positions_ok(part, nesting - 1, smallest) for part in value)


def _finite(value) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer beyond any float
        return False
