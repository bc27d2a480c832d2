# SPDX-License-Identifier: AGPL-3.0-or-later
"""The JSON documents of OGC API – Features: landing page, conformance, collections, one
collection, a page of items and one item, for any collection (its dataset's fields,
geometry type, moment and tileset), with every link a client follows."""

from datetime import UTC, datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..catalogue.formats import FORMATS
from ..catalogue.selectors import open_datasets
from ..collections import Collection
from ..features import FeaturePage, FeatureQuery, collection_extent
from .negotiation import GEOJSON, HTML, JSON, OPENAPI, link, self_links, url_with
from .parameters import CRS84_URI, crs_uri, storage_srid, supported_crs

SPEC = "http://www.opengis.net/spec"
CONFORMANCE = [
    f"{SPEC}/ogcapi-features-1/1.0/conf/core",
    f"{SPEC}/ogcapi-features-1/1.0/conf/geojson",
    f"{SPEC}/ogcapi-features-1/1.0/conf/html",
    f"{SPEC}/ogcapi-features-1/1.0/conf/oas30",
    f"{SPEC}/ogcapi-features-2/1.0/conf/crs",
    f"{SPEC}/ogcapi-tiles-1/1.0/conf/core",
    f"{SPEC}/ogcapi-tiles-1/1.0/conf/tileset",
    f"{SPEC}/ogcapi-tiles-1/1.0/conf/tilesets-list",
    f"{SPEC}/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    f"{SPEC}/ogcapi-tiles-1/1.0/conf/mvt",
]
REL_TILESETS = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
REL_TILING_SCHEMES = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
WORLD = (-180.0, -90.0, 180.0, 90.0)


def absolute(request: HttpRequest, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(f"ogc:{name}", kwargs=kwargs or None))


def base_url(request: HttpRequest) -> str:
    """The site's root for the properties' links, as the client reached it."""
    return request.build_absolute_uri("/").rstrip("/")


def landing(request: HttpRequest) -> dict:
    return {
        "title": _("Open data of carto-concertation"),
        "description": _(
            "The public datasets of the platform (communes, PLU/PLUi zoning, the modules'"
            " public contributions) as OGC API – Features collections and vector tiles."
        ),
        "links": [
            *self_links(request),
            link(absolute(request, "api"), "service-desc", OPENAPI, _("The API definition")),
            link(
                f"{absolute(request, 'api')}?f=html",
                "service-doc",
                HTML,
                _("The API documentation"),
            ),
            link(absolute(request, "conformance"), "conformance", JSON, _("Conformance classes")),
            link(absolute(request, "collections"), "data", JSON, _("The collections")),
            link(
                absolute(request, "tile-matrix-sets"),
                REL_TILING_SCHEMES,
                JSON,
                _("The tile matrix sets"),
            ),
        ],
    }


def conformance(request: HttpRequest) -> dict:
    return {"conformsTo": CONFORMANCE, "links": self_links(request)}


def _moment_text(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def collection_document(request: HttpRequest, collection: Collection, *, own: bool) -> dict:
    """A collection's description; ``own`` for its own page (self links), otherwise its
    entry in /collections (links to it)."""
    dataset = collection.dataset
    extent = collection_extent(collection)
    found = {
        "spatial": {"bbox": [list(extent.bbox or WORLD)], "crs": CRS84_URI},
    }
    if collection.source.moment:
        first, last = extent.interval or (None, None)
        found["temporal"] = {
            "interval": [[_moment_text(first), _moment_text(last)]],
            "trs": GREGORIAN,
        }
    own_url = absolute(request, "collection", collection_id=collection.id)
    items_url = absolute(request, "items", collection_id=collection.id)
    links = (
        self_links(request)
        if own
        else [
            link(own_url, "self", JSON, collection.title),
            link(f"{own_url}?f=html", "alternate", HTML, collection.title),
        ]
    )
    links += [
        link(items_url, "items", GEOJSON, _("The features")),
        link(f"{items_url}?f=html", "items", HTML, _("The features as a table")),
    ]
    if dataset.tileset:
        links.append(
            link(
                absolute(request, "tilesets", collection_id=collection.id),
                REL_TILESETS,
                JSON,
                _("Vector tiles"),
            )
        )
    if own:
        links += _file_links(request, collection)
    return {
        "id": collection.id,
        "title": str(collection.title),
        "description": str(dataset.description),
        "itemType": "feature",
        "extent": found,
        "crs": list(supported_crs()),
        "storageCrs": crs_uri(storage_srid()),
        "keywords": list(dataset.keywords),
        "links": links,
    }


def _file_links(request: HttpRequest, collection: Collection) -> list[dict]:
    """Its open files, each territory's, to download whole (the open-data page's)."""
    found = []
    for dataset in open_datasets(collection_id=collection.id):
        for record in dataset.files:
            kind = FORMATS[record.format]
            url = reverse(
                "opendata:file",
                kwargs={
                    "siren": dataset.territory.siren,
                    "collection": collection.id,
                    "fmt": kind.key,
                },
            )
            title = f"{dataset.territory.name} — {kind.label}"
            found.append(
                link(
                    request.build_absolute_uri(url),
                    "enclosure",
                    kind.content_type,
                    title,
                    length=record.size,
                )
            )
    return found


def collections_document(request: HttpRequest, collections: list[Collection]) -> dict:
    return {
        "links": self_links(request),
        "crs": list(supported_crs()),
        "collections": [collection_document(request, c, own=False) for c in collections],
    }


def items_document(
    request: HttpRequest, collection: Collection, query: FeatureQuery, page: FeaturePage
) -> dict:
    returned = len(page.features)
    links = self_links(request, GEOJSON)
    if page.more:
        links.append(
            link(
                url_with(request, offset=query.offset + query.limit),
                "next",
                GEOJSON,
                _("Next page"),
            )
        )
    if query.offset > 0:
        previous = max(query.offset - query.limit, 0)
        links.append(
            link(url_with(request, offset=previous or None), "prev", GEOJSON, _("Previous page"))
        )
    links.append(
        link(
            absolute(request, "collection", collection_id=collection.id),
            "collection",
            JSON,
            collection.title,
        )
    )
    # numberMatched is optional (/req/core/fc-numberMatched): left out when not counted.
    matched = {} if page.matched is None else {"numberMatched": page.matched}
    return {
        "type": "FeatureCollection",
        "features": page.features,
        **matched,
        "numberReturned": returned,
        "timeStamp": _moment_text(timezone.now()),
        "links": links,
    }


def feature_document(request: HttpRequest, collection: Collection, feature: dict) -> dict:
    return {
        **feature,
        "links": [
            *self_links(request, GEOJSON),
            link(
                absolute(request, "collection", collection_id=collection.id),
                "collection",
                JSON,
                collection.title,
            ),
        ],
    }
