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


STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}


def _object(*required: str, **properties: dict) -> dict:
    return {"type": "object", "required": list(required), "properties": properties}


def _schemas() -> dict:
    links = {"type": "array", "items": _ref("schemas", "link")}
    count = {"type": "integer", "minimum": 0}
    return {
        "link": _object(
            "href", "rel", href=STRING, rel=STRING, type=STRING, title=STRING,
            templated={"type": "boolean"},
        ),
        "exception": _object("code", code=STRING, description=STRING),
        "landingPage": _object("links", title=STRING, description=STRING, links=links),
        "confClasses": _object("conformsTo", conformsTo=STRINGS),
        "collection": _object(
            "id", "links", id=STRING, title=STRING, description=STRING, itemType=STRING,
            extent={"type": "object"}, crs=STRINGS, storageCrs=STRING, links=links,
        ),
        "collections": _object(
            "links", "collections", links=links, crs=STRINGS,
            collections={"type": "array", "items": _ref("schemas", "collection")},
        ),
        "featureGeoJSON": _object(
            "type", "geometry", "properties",
            type={"type": "string", "enum": ["Feature"]},
            id={"oneOf": [STRING, {"type": "integer"}]},
            geometry={"type": "object", "nullable": True},
            properties={"type": "object", "nullable": True},
            links=links,
        ),
        "featureCollectionGeoJSON": _object(
            "type", "features",
            type={"type": "string", "enum": ["FeatureCollection"]},
            features={"type": "array", "items": _ref("schemas", "featureGeoJSON")},
            links=links,
            timeStamp={"type": "string", "format": "date-time"},
            numberMatched=count,
            numberReturned=count,
        ),
        "document": {"type": "object", "properties": {"links": links}},
    }  # fmt: skip


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


OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0"
ITEMS = "collectionId f limit offset bbox bbox-crs crs datetime territoire"
HEAVY, FOUND = "heavy", "found"
# path: operation id, summary, parameters, the 200's description, its schema and type,
# and whether it answers 404 (an id in the path) and 429 (rate limited).
OPERATIONS = {
    "/": ("getLandingPage", "Landing page", "f", "The landing page.", "landingPage", JSON, ()),
    "/conformance": ("getConformanceDeclaration", "Conformance classes", "f", "The conformance classes.", "confClasses", JSON, ()),
    "/api": ("getAPI", "This API definition", "f", "The OpenAPI 3.0 document.", "", OPENAPI_TYPE, ()),
    "/collections": ("getCollections", "The collections", "f", "Every collection.", "collections", JSON, (HEAVY,)),
    "/collections/{collectionId}": ("describeCollection", "A collection", "collectionId f", "The collection.", "collection", JSON, (FOUND, HEAVY)),
    "/collections/{collectionId}/items": ("getFeatures", "A page of a collection's features", ITEMS, "The features selected.", "featureCollectionGeoJSON", GEOJSON, (FOUND, HEAVY)),
    "/collections/{collectionId}/items/{featureId}": ("getFeature", "A feature", "collectionId featureId f crs", "The feature.", "featureGeoJSON", GEOJSON, (FOUND, HEAVY)),
    "/collections/{collectionId}/tiles": ("getCollectionTileSetsList", "A collection's vector tilesets", "collectionId f", "Its tilesets.", "document", JSON, (FOUND,)),
    "/collections/{collectionId}/tiles/{tileMatrixSetId}": ("getCollectionTileSet", "A collection's vector tileset", "collectionId tileMatrixSetId f", f"The tileset's metadata; its item link gives the tiles ({MVT}).", "document", JSON, (FOUND,)),
    "/tileMatrixSets": ("getTileMatrixSetsList", "The tile matrix sets", "f", "The tile matrix sets.", "document", JSON, ()),
    "/tileMatrixSets/{tileMatrixSetId}": ("getTileMatrixSet", "A tile matrix set", "tileMatrixSetId f", "Its definition.", "document", JSON, (FOUND,)),
}  # fmt: skip


def _operation(
    op_id: str, summary: str, parameters: str, text: str, schema: str, media: str, kinds
) -> dict:
    body = _ref("schemas", schema) if schema else {"type": "object"}
    ok = {"description": text, "content": {media: {"schema": body}, HTML: {"schema": STRING}}}
    responses = {"200": ok, "400": _ref("responses", "Exception400")}
    if FOUND in kinds:
        responses["404"] = _ref("responses", "NotFound")
    if HEAVY in kinds:
        responses["429"] = _ref("responses", "TooMany")
    return {
        "get": {
            "operationId": op_id,
            "summary": summary,
            "parameters": [_ref("parameters", p) for p in parameters.split()],
            "responses": responses,
        }
    }


def openapi_document(request: HttpRequest) -> dict:
    paths = {path: _operation(*operation) for path, operation in OPERATIONS.items()}
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
