# SPDX-License-Identifier: AGPL-3.0-or-later
from drf_spectacular.contrib.rest_framework_gis import build_geometry_geo_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework_gis.fields import GeometryField


@extend_schema_field(build_geometry_geo_schema())
class GeoJsonGeometryField(GeometryField):
    """A GeoJSON geometry (RFC 7946, WGS84) that describes itself in the OpenAPI schema
    whatever its source (a selector's ``geom_wgs84`` annotation, or a request body)."""
