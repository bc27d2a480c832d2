# SPDX-License-Identifier: AGPL-3.0-or-later
"""The OpenAPI 3.0 definition of /ogc/ (the landing page's ``service-desc``): the
templated paths of OGC API – Features and Tiles, every query parameter they take with
its bounds, and every status they answer. Built per request: the servers' URL is the one
the client reached and ``collectionId`` lists today's collections."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from ..collections import collections
from .negotiation import GEOJSON, HTML, JSON
from .parameters import CRS84H_URI, FORMATS, LIMIT_DEFAULT, LIMIT_MAX, OFFSET_MAX, supported_crs
from .tiles import MVT, TMS_ID

_REF = "#/components/{}/{}"


def _ref(kind: str, name: str) -> dict:
    return {"$ref": _REF.format(kind, name)}


def _query(name: str, description: str, schema: dict, **extra) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        "style": "form",
        "explode": False,
        **extra,
    }


def _path(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


def _parameters() -> dict:
    crs = list(supported_crs())
    return {
        "f": _query(
            "f",
            "The encoding of the answer (otherwise by the Accept header).",
            {"type": "string", "enum": list(FORMATS)},
        ),
        "limit": _query(
            "limit",
            f"How many features a page holds at most (1 to {LIMIT_MAX}; more is refused with a 400).",
            {"type": "integer", "minimum": 1, "maximum": LIMIT_MAX, "default": LIMIT_DEFAULT},
        ),
        "offset": _query(
            "offset",
            "How many selected features to skip (the next links carry it).",
            {"type": "integer", "minimum": 0, "maximum": OFFSET_MAX, "default": 0},
        ),
        "bbox": _query(
            "bbox",
            "Only features intersecting the box west,south,east,north (CRS84 unless bbox-crs;"
            " 6 numbers with heights are taken, the heights ignored).",
            {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        ),
        "bbox-crs": _query(
            "bbox-crs",
            "The CRS of bbox (CRS84 by default).",
            {"type": "string", "format": "uri", "enum": [*crs, CRS84H_URI]},
        ),
        "crs": _query(
            "crs",
            "The CRS of the geometries answered (CRS84 by default).",
            {"type": "string", "format": "uri", "enum": crs},
        ),
        "datetime": _query(
            "datetime",
            "Only features whose moment is this RFC 3339 instant or date, or lies in the"
            " interval start/end (`..` or nothing for an open end); features without a"
            " moment match.",
            {"type": "string"},
        ),
        "territoire": _query(
            "territoire",
            "Only the features of this territory (EPCI), by its SIREN.",
            {"type": "string", "pattern": "^[0-9]{9}$"},
        ),
        "collectionId": _path(
            "collectionId",
            "A collection's id.",
            {"type": "string", "enum": [c.id for c in collections()] or ["none"]},
        ),
        "featureId": _path("featureId", "A feature's id in its collection.", {"type": "string"}),
        "tileMatrixSetId": _path(
            "tileMatrixSetId", "A tile matrix set's id.", {"type": "string", "enum": [TMS_ID]}
        ),
    }


def _schemas() -> dict:
    link = {
        "type": "object",
        "required": ["href", "rel"],
        "properties": {
            "href": {"type": "string"},
            "rel": {"type": "string"},
            "type": {"type": "string"},
            "title": {"type": "string"},
            "templated": {"type": "boolean"},
        },
    }
    links = {"type": "array", "items": _ref("schemas", "link")}
    feature = {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "geometry": {"type": "object", "nullable": True},
            "properties": {"type": "object", "nullable": True},
            "links": links,
        },
    }
    return {
        "link": link,
        "exception": {
            "type": "object",
            "required": ["code"],
            "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
        },
        "landingPage": {
            "type": "object",
            "required": ["links"],
            "properties": {
                "title": {"type": "string"},
                "description": {"type": "string"},
                "links": links,
            },
        },
        "confClasses": {
            "type": "object",
            "required": ["conformsTo"],
            "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
        },
        "collection": {
            "type": "object",
            "required": ["id", "links"],
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "description": {"type": "string"},
                "itemType": {"type": "string"},
                "extent": {"type": "object"},
                "crs": {"type": "array", "items": {"type": "string"}},
                "storageCrs": {"type": "string"},
                "links": links,
            },
        },
        "collections": {
            "type": "object",
            "required": ["links", "collections"],
            "properties": {
                "links": links,
                "crs": {"type": "array", "items": {"type": "string"}},
                "collections": {"type": "array", "items": _ref("schemas", "collection")},
            },
        },
        "featureGeoJSON": feature,
        "featureCollectionGeoJSON": {
            "type": "object",
            "required": ["type", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": {"type": "array", "items": _ref("schemas", "featureGeoJSON")},
                "links": links,
                "timeStamp": {"type": "string", "format": "date-time"},
                "numberMatched": {"type": "integer", "minimum": 0},
                "numberReturned": {"type": "integer", "minimum": 0},
            },
        },
        "document": {"type": "object", "properties": {"links": links}},
    }


def _content(schema: str, media_type: str = JSON) -> dict:
    return {media_type: {"schema": _ref("schemas", schema)}, HTML: {"schema": {"type": "string"}}}


def _responses() -> dict:
    return {
        "Exception400": {
            "description": "A parameter is unknown or its value invalid: the exception names it"
            " and says why. A NUL character anywhere is refused before, by the site, in its"
            " own shape ({parameter: [reason]}).",
            "content": {
                JSON: {
                    "schema": {
                        "anyOf": [
                            _ref("schemas", "exception"),
                            {
                                "type": "object",
                                "additionalProperties": {
                                    "type": "array",
                                    "items": {"type": "string"},
                                },
                            },
                        ]
                    }
                },
                HTML: {"schema": {"type": "string"}},
            },
        },
        "NotFound": {
            "description": "No such collection, feature or tile matrix set.",
            "content": _content("exception"),
        },
        "TooMany": {
            "description": "Too many requests from this address: wait a minute.",
            "content": {JSON: {"schema": {"type": "object"}}},
        },
    }


def _operation(
    op_id: str,
    summary: str,
    parameters: list[str],
    ok: dict,
    *,
    found: bool = False,
    heavy: bool = False,
) -> dict:
    responses = {"200": ok, "400": _ref("responses", "Exception400")}
    if found:
        responses["404"] = _ref("responses", "NotFound")
    if heavy:
        responses["429"] = _ref("responses", "TooMany")
    return {
        "get": {
            "operationId": op_id,
            "summary": summary,
            "parameters": [_ref("parameters", p) for p in parameters],
            "responses": responses,
        }
    }


def openapi_document(request: HttpRequest) -> dict:
    ok = lambda text, schema, media=JSON: {"description": text, "content": _content(schema, media)}  # noqa: E731
    with_id = ["collectionId", "f"]
    items = [
        "collectionId",
        "f",
        "limit",
        "offset",
        "bbox",
        "bbox-crs",
        "crs",
        "datetime",
        "territoire",
    ]
    paths = {
        "/": _operation(
            "getLandingPage", "Landing page", ["f"], ok("The landing page.", "landingPage")
        ),
        "/conformance": _operation(
            "getConformanceDeclaration",
            "Conformance classes",
            ["f"],
            ok("The conformance classes.", "confClasses"),
        ),
        "/api": _operation(
            "getAPI",
            "This API definition",
            ["f"],
            {
                "description": "The OpenAPI 3.0 document.",
                "content": {
                    "application/vnd.oai.openapi+json;version=3.0": {"schema": {"type": "object"}},
                    HTML: {"schema": {"type": "string"}},
                },
            },
        ),
        "/collections": _operation(
            "getCollections",
            "The collections",
            ["f"],
            ok("Every collection.", "collections"),
            heavy=True,
        ),
        "/collections/{collectionId}": _operation(
            "describeCollection",
            "A collection",
            with_id,
            ok("The collection.", "collection"),
            found=True,
            heavy=True,
        ),
        "/collections/{collectionId}/items": _operation(
            "getFeatures",
            "A page of a collection's features",
            items,
            ok("The features selected.", "featureCollectionGeoJSON", GEOJSON),
            found=True,
            heavy=True,
        ),
        "/collections/{collectionId}/items/{featureId}": _operation(
            "getFeature",
            "A feature",
            ["collectionId", "featureId", "f", "crs"],
            ok("The feature.", "featureGeoJSON", GEOJSON),
            found=True,
            heavy=True,
        ),
        "/collections/{collectionId}/tiles": _operation(
            "getCollectionTileSetsList",
            "A collection's vector tilesets",
            with_id,
            ok("Its tilesets.", "document"),
            found=True,
        ),
        "/collections/{collectionId}/tiles/{tileMatrixSetId}": _operation(
            "getCollectionTileSet",
            "A collection's vector tileset",
            ["collectionId", "tileMatrixSetId", "f"],
            ok(f"The tileset's metadata; its item link gives the tiles ({MVT}).", "document"),
            found=True,
        ),
        "/tileMatrixSets": _operation(
            "getTileMatrixSetsList",
            "The tile matrix sets",
            ["f"],
            ok("The tile matrix sets.", "document"),
        ),
        "/tileMatrixSets/{tileMatrixSetId}": _operation(
            "getTileMatrixSet",
            "A tile matrix set",
            ["tileMatrixSetId", "f"],
            ok("Its definition.", "document"),
            found=True,
        ),
    }
    root = request.build_absolute_uri(reverse("ogc:landing")).rstrip("/")
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "carto-concertation — OGC API – Features and Tiles",
            "version": "1.0.0",
            "description": "The platform's public datasets: OGC API – Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) and Part 2 (CRS by reference: CRS84 and Lambert-93), and OGC API – Tiles over the vector tile service. No authentication: every collection is public.",
            "license": {"name": settings.OPEN_DATA_LICENCE, "url": settings.OPEN_DATA_LICENCE_URL},
        },
        "servers": [{"url": root}],
        "paths": paths,
        "components": {
            "parameters": _parameters(),
            "schemas": _schemas(),
            "responses": _responses(),
        },
    }
