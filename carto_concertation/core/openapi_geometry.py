# SPDX-License-Identifier: AGPL-3.0-or-later
"""The OpenAPI schema of a GeoJSON geometry whose model field takes any geometry
(GeometryField): drf-spectacular's GeoDjango extension lists only Point, LineString and
Polygon there, while such a field holds multi-part geometries too (a project on two
plots, an area drawn in two parts); and a geometry the serializer may leave out (a
hidden idea's) is null. Registered at start-up (core.apps) over the library's
extensions; the fuzzer (tests/fuzz) checks every answer against them."""

from django.contrib.gis.db import models
from drf_spectacular.contrib.rest_framework_gis import (
    GeoFeatureModelSerializerExtension,
    GeometryFieldExtension,
    build_geo_container_schema,
    build_linestring_schema,
    build_point_schema,
    build_polygon_schema,
)
from drf_spectacular.plumbing import build_array_type, follow_field_source


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


def _geometry_schema(schema: dict, *, model_field, allow_null: bool) -> dict:
    # Exactly GeometryField: its subclasses (PointField…) name one type, rightly.
    if type(model_field) is models.GeometryField:
        schema = any_geometry_schema()
    return {**schema, "nullable": True} if allow_null else schema


class FeatureGeometryExtension(GeoFeatureModelSerializerExtension):
    """A GeoJSON feature's ``geometry``."""

    priority = 1

    def map_geo_feature_model_serializer(self, serializer, base_schema):
        schema = super().map_geo_feature_model_serializer(serializer, base_schema)
        name = serializer.Meta.geo_field
        schema["properties"]["geometry"] = _geometry_schema(
            schema["properties"]["geometry"],
            model_field=serializer.Meta.model._meta.get_field(name),
            allow_null=serializer.fields[name].allow_null,
        )
        return schema


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
        return _geometry_schema(schema, model_field=model_field, allow_null=self.target.allow_null)
