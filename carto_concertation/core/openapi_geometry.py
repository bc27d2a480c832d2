# SPDX-License-Identifier: AGPL-3.0-or-later
"""The OpenAPI schema of a GeoJSON geometry whose model field takes any geometry
(GeometryField): drf-spectacular's GeoDjango extension lists only Point, LineString and
Polygon there, while such a field holds multi-part geometries too (a project on two
plots, an area drawn in two parts). A feature's geometry is described by core.geojson's
FeatureSchema; a geometry among a serializer's fields by GeometryExtension below,
registered at start-up (core.apps) over the library's. The fuzzer (tests/fuzz) checks
every answer against them."""

from django.contrib.gis.db import models
from drf_spectacular.contrib.rest_framework_gis import (
    GeometryFieldExtension,
    build_geo_container_schema,
    build_linestring_schema,
    build_point_schema,
    build_polygon_schema,
)
from drf_spectacular.plumbing import build_array_type, follow_field_source

# OpenAPI 3.0's way to allow null among shapes: "nullable" only acts beside a "type".
NO_GEOMETRY = {"type": "object", "nullable": True, "enum": [None]}


def any_geometry_schema() -> dict:
    """One of the six GeoJSON geometries of RFC 7946 (GeometryCollection aside)."""
    point, line, polygon = build_point_schema(), build_linestring_schema(), build_polygon_schema()
    return {
        "oneOf": [
            build_geo_container_schema("Point", point),
            build_geo_container_schema("LineString", line),
            build_geo_container_schema("Polygon", polygon),
            build_geo_container_schema("MultiPoint", build_array_type(point)),
            build_geo_container_schema("MultiLineString", build_array_type(line)),
            build_geo_container_schema("MultiPolygon", build_array_type(polygon)),
        ]
    }


def geometry_schema(schema: dict, *, model_field, allow_null: bool) -> dict:
    """The library's schema of a geometry, every type named where the model field takes
    any (exactly GeometryField: its subclasses, PointField…, name one, rightly), and
    null among the shapes where the serializer may leave it out."""
    if type(model_field) is models.GeometryField:
        schema = any_geometry_schema()
    if not allow_null:
        return schema
    shapes = schema["oneOf"] if list(schema) == ["oneOf"] else [schema]
    return {"oneOf": [*shapes, NO_GEOMETRY]}


class GeometryExtension(GeometryFieldExtension):
    """A geometry among a serializer's fields."""

    priority = 1

    def map_serializer_field(self, auto_schema, direction):
        schema = super().map_serializer_field(auto_schema, direction)
        try:
            model_field = follow_field_source(
                self.target.parent.Meta.model, self.target.source.split(".")
            )
        except (AttributeError, LookupError):
            return schema
        return geometry_schema(schema, model_field=model_field, allow_null=self.target.allow_null)
