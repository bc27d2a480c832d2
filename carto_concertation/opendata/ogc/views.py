# SPDX-License-Identifier: AGPL-3.0-or-later
"""OGC API – Features and Tiles at /ogc/: thin views over opendata's collections and
features, each answering JSON or its HTML page (negotiation.py), a 400 naming the
parameter or a 404 (parameters.OgcError). The reads that touch the features are rate
limited per address (OGC_API_RATE: a GIS client pages through in bursts)."""

import json

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from carto_concertation.core.throttles import api_scope_rate, client_address

from .. import features
from ..collections import Collection, collection_get, collections
from ..features import feature_one, features_page
from . import documents, tiles
from .negotiation import GEOJSON, OPENAPI, answer, ogc_view, url_with
from .openapi import openapi_document
from .parameters import (
    OgcError,
    crs_uri,
    item_srid,
    items_query,
    plain_check,
)

# Larger than any feature id (a bigint): a longer one names no feature.
_ID_DIGITS = 18


def _address(group: str, request: HttpRequest) -> str:
    # The house's client address (its /64 for IPv6); django-ratelimit's own "ip" key
    # fails with a 500 on a request without one (a WSGI caller of its own).
    return client_address(request)


def _heavy(view):
    rate = api_scope_rate("ogc_api")
    return ratelimit(key=_address, rate=rate, method=["GET", "HEAD"], block=True)(view)


def _collection(collection_id: str) -> Collection:
    found = collection_get(collection_id)
    if found is None:
        raise OgcError("collectionId", _("no collection %(id)r") % {"id": collection_id[:80]}, 404)
    return found


@require_safe
@ogc_view
def landing(request: HttpRequest) -> HttpResponse:
    plain_check(request.GET)
    return answer(request, documents.landing(request), "opendata/ogc/landing.html")


@require_safe
@ogc_view
def conformance(request: HttpRequest) -> HttpResponse:
    plain_check(request.GET)
    return answer(request, documents.conformance(request), "opendata/ogc/conformance.html")


@require_safe
@ogc_view
def api(request: HttpRequest) -> HttpResponse:
    plain_check(request.GET)
    document = openapi_document(request)
    context = {"server": document["servers"][0]["url"], "operations": _operations(document)}
    return answer(request, document, "opendata/ogc/api.html", context, OPENAPI)


def _operations(document: dict) -> list[dict]:
    """The OpenAPI document's operations, their parameters resolved, for its page."""
    parameters = document["components"]["parameters"]
    found = []
    for path, item in document["paths"].items():
        operation = item["get"]
        found.append(
            {
                "path": path,
                "summary": operation["summary"],
                "parameters": [
                    {**parameter, "schema": json.dumps(parameter["schema"], ensure_ascii=False)}
                    for parameter in (
                        parameters[p["$ref"].rsplit("/", 1)[1]] for p in operation["parameters"]
                    )
                ],
                "statuses": list(operation["responses"]),
            }
        )
    return found


@require_safe
@_heavy
@ogc_view
def collection_list(request: HttpRequest) -> HttpResponse:
    plain_check(request.GET)
    document = documents.collections_document(request, collections())
    return answer(request, document, "opendata/ogc/collections.html")


@require_safe
@_heavy
@ogc_view
def collection_detail(request: HttpRequest, collection_id: str) -> HttpResponse:
    plain_check(request.GET)
    collection = _collection(collection_id)
    document = documents.collection_document(request, collection, own=True)
    context = {
        "fields": collection.dataset.fields,
        "geometry_type": collection.dataset.geometry_type,
        "files": [link for link in document["links"] if link["rel"] == "enclosure"],
    }
    return answer(request, document, "opendata/ogc/collection.html", context)


@require_safe
@_heavy
@ogc_view
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    collection = _collection(collection_id)
    query = items_query(request.GET)
    page = features_page(collection, query, documents.base_url(request))
    document = documents.items_document(request, collection, query, page)
    shown = query.offset + len(page.features)
    context = {
        "collection": collection,
        "fields": collection.dataset.fields,
        "rows": [_row(feature, collection) for feature in page.features],
        "first": query.offset + 1,
        "last": shown,
        "matched": page.matched,
        "most": features.MATCHED_COUNT_MAX,
        "next_url": url_with(request, offset=query.offset + query.limit, f="html")
        if page.more
        else "",
        "prev_url": url_with(request, offset=max(query.offset - query.limit, 0), f="html")
        if query.offset
        else "",
    }
    headers = {"Content-Crs": f"<{crs_uri(query.srid)}>"}
    return answer(request, document, "opendata/ogc/items.html", context, GEOJSON, headers)


@require_safe
@_heavy
@ogc_view
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    collection = _collection(collection_id)
    srid = item_srid(request.GET)
    missing = OgcError(
        "featureId", _("no feature %(id)r in this collection") % {"id": feature_id[:40]}, 404
    )
    if not feature_id.isascii() or not feature_id.isdigit() or len(feature_id) > _ID_DIGITS:
        raise missing
    feature = feature_one(collection, int(feature_id), srid, documents.base_url(request))
    if feature is None:
        raise missing
    document = documents.feature_document(request, collection, feature)
    values = feature["properties"] or {}
    properties = [(field.label, values.get(field.name)) for field in collection.dataset.fields]
    context = {"collection": collection, "properties": properties}
    headers = {"Content-Crs": f"<{crs_uri(srid)}>"}
    return answer(request, document, "opendata/ogc/feature.html", context, GEOJSON, headers)


def _row(feature: dict, collection: Collection) -> dict:
    values = feature["properties"] or {}
    return {
        "id": feature["id"],
        "values": [values.get(field.name) for field in collection.dataset.fields],
        "geometry": (feature["geometry"] or {}).get("type", ""),
    }


def _tiled(collection_id: str) -> Collection:
    collection = _collection(collection_id)
    if not collection.dataset.tileset:
        raise OgcError(
            "collectionId", _("collection %(id)r has no vector tiles") % {"id": collection_id}, 404
        )
    return collection


def _tms_check(tms_id: str) -> None:
    if tms_id != tiles.TMS_ID:
        raise OgcError(
            "tileMatrixSetId",
            _("no tile matrix set %(id)r; there is WebMercatorQuad") % {"id": tms_id[:40]},
            404,
        )


def _document_page(request: HttpRequest, document: dict, title: str) -> HttpResponse:
    return answer(request, document, "opendata/ogc/document.html", {"title": title})


def _tiles_title(collection: Collection) -> str:
    return _("Vector tiles of %(title)s") % {"title": collection.title}


@require_safe
@ogc_view
def tilesets(request: HttpRequest, collection_id: str) -> HttpResponse:
    plain_check(request.GET)
    collection = _tiled(collection_id)
    document = tiles.tilesets_document(request, collection)
    return _document_page(request, document, _tiles_title(collection))


@require_safe
@ogc_view
def tileset(request: HttpRequest, collection_id: str, tms_id: str) -> HttpResponse:
    plain_check(request.GET)
    collection = _tiled(collection_id)
    _tms_check(tms_id)
    return _document_page(
        request, tiles.tileset_document(request, collection), _tiles_title(collection)
    )


@require_safe
@ogc_view
def tile_matrix_sets(request: HttpRequest) -> HttpResponse:
    plain_check(request.GET)
    document = tiles.tile_matrix_sets_document(request)
    return _document_page(request, document, _("Tile matrix sets"))


@require_safe
@ogc_view
def tile_matrix_set(request: HttpRequest, tms_id: str) -> HttpResponse:
    plain_check(request.GET)
    _tms_check(tms_id)
    document = tiles.tile_matrix_set_document(request)
    return _document_page(request, document, tiles.TMS_ID)
