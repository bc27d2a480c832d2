# SPDX-License-Identifier: AGPL-3.0-or-later
"""GeoJSON over the API (RFC 7946).

A GeoJSON endpoint answers ``application/json`` by default and ``application/geo+json``
to a client that asks for it (QGIS, GDAL and OGC clients do); an error is the JSON it is,
whatever was asked. The OpenAPI schema describes what is sent: a feature with its
``type``, ``id``, ``geometry`` (null where the serializer allows it) and ``properties``;
a paginated list as a FeatureCollection with ``count``, ``next``, ``previous`` and the
array of its ``features``; an unpaginated one as a FeatureCollection.
"""

from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from drf_spectacular.contrib.rest_framework_gis import (
    GeoFeatureModelListSerializerExtension,
    GeoFeatureModelSerializerExtension,
)
from drf_spectacular.plumbing import ResolvedComponent, build_array_type, build_object_type
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings
from rest_framework_gis import pagination

from .openapi_geometry import geometry_schema


def geojson_wgs84(field: str, precision: int) -> AsGeoJSON:
    """An annotation: ``field``'s geometry as GeoJSON text in WGS84, rounded to
    ``precision`` decimals, written by PostGIS for a ``GeoJsonGeometryField`` to send as
    it is. Reading the geometry into GEOS and writing it through OGR cost a fifth of
    the signalements list's CPU (two OGR geometries and a spatial reference per
    report)."""
    return AsGeoJSON(Transform(field, 4326), precision=precision)


class GeoJsonRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


# JSON first: what a client that accepts anything got before keeps coming.
GEOJSON_RENDERERS = [
    api_settings.DEFAULT_RENDERER_CLASSES[0],
    GeoJsonRenderer,
    *api_settings.DEFAULT_RENDERER_CLASSES[1:],
]


class GeoJsonViewMixin:
    """Renderers of a GeoJSON endpoint."""

    renderer_classes = GEOJSON_RENDERERS

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(response, "exception", False) and isinstance(
            response.accepted_renderer, GeoJsonRenderer
        ):
            # {"detail": …} is no GeoJSON object: it goes out as application/json.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


class GeoJsonPagination(pagination.GeoJsonPagination):
    """Pages of a FeatureCollection: ``type``, ``count``, ``next``, ``previous`` and
    ``features``, every one always sent."""

    def get_paginated_response_schema(self, schema: dict) -> dict:
        described = super().get_paginated_response_schema(schema)
        described["required"] = list(described["properties"])
        return described


class FeatureSchema(GeoFeatureModelSerializerExtension):
    """drf-spectacular's feature, with what it leaves out: which members are always
    sent, every type of geometry a GeometryField takes, and a geometry that may be null."""

    priority = 1

    def map_serializer(self, auto_schema, direction):
        schema = super().map_serializer(auto_schema, direction)
        serializer = self.target
        if direction == "response":
            schema["required"] = list(schema["properties"])
            properties = schema["properties"]["properties"]
            properties["required"] = list(properties["properties"])
        name = serializer.Meta.geo_field
        schema["properties"]["geometry"] = geometry_schema(
            schema["properties"]["geometry"],
            model_field=serializer.Meta.model._meta.get_field(name),
            allow_null=serializer.fields[name].allow_null,
        )
        return schema


class FeatureCollectionSchema(GeoFeatureModelListSerializerExtension):
    """A list of features: the array of ``features`` when the view paginates (its
    pagination wraps it), a whole FeatureCollection when it does not."""

    priority = 1

    def map_serializer(self, auto_schema, direction):
        feature = auto_schema.resolve_serializer(self.target.child, direction)
        features = build_array_type(feature.ref)
        if getattr(auto_schema.view, "pagination_class", None) is not None:
            return features
        collection = ResolvedComponent(
            name=f"{feature.name}List",
            type=ResolvedComponent.SCHEMA,
            object=self.target.child,
            schema=build_object_type(
                properties={
                    "type": {"type": "string", "enum": ["FeatureCollection"]},
                    "features": features,
                },
                required=["type", "features"],
            ),
        )
        auto_schema.registry.register_on_missing(collection)
        return collection.ref
