# SPDX-License-Identifier: AGPL-3.0-or-later
"""OGC API – Tiles over the tile service that already draws each dataset's tileset
(/tiles/<tileset>/{z}/{x}/{y}.mvt): the tileset list and metadata of a collection, and
the one tile matrix set those tiles follow, WebMercatorQuad. No second tile path: the
``item`` link is the tile service's own URL template."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from layers.selectors import tileset_layers

from ..collections import Collection
from .documents import absolute
from .negotiation import HTML, JSON, link, self_links

MVT = "application/vnd.mapbox-vector-tile"
TMS_ID = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
WEB_MERCATOR = "http://www.opengis.net/def/crs/EPSG/0/3857"
REL_TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
ORIGIN = 20037508.3427892  # half of the Web Mercator world's side, in metres
TOP_CELL = 156543.03392804097  # metres per pixel of zoom 0, tiles of 256 pixels
PIXEL = 0.00028  # metres: OGC's standard rendering pixel
MAX_ZOOM = 24


def tile_matrix_set() -> dict:
    """WebMercatorQuad as OGC's Two Dimensional Tile Matrix Set 2.0 defines it."""
    matrices = [
        {
            "id": str(z),
            "scaleDenominator": TOP_CELL / 2**z / PIXEL,
            "cellSize": TOP_CELL / 2**z,
            "cornerOfOrigin": "topLeft",
            "pointOfOrigin": [-ORIGIN, ORIGIN],
            "tileWidth": 256,
            "tileHeight": 256,
            "matrixWidth": 2**z,
            "matrixHeight": 2**z,
        }
        for z in range(MAX_ZOOM + 1)
    ]
    return {
        "id": TMS_ID,
        "title": "Google Maps Compatible for the World",
        "uri": TMS_URI,
        "crs": WEB_MERCATOR,
        "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": matrices,
    }


def tile_matrix_sets_document(request: HttpRequest) -> dict:
    own = absolute(request, "tile-matrix-set", tms_id=TMS_ID)
    return {
        "links": self_links(request),
        "tileMatrixSets": [
            {
                "id": TMS_ID,
                "title": "Google Maps Compatible for the World",
                "uri": TMS_URI,
                "links": [
                    link(own, "self", JSON, TMS_ID),
                    link(f"{own}?f=html", "alternate", HTML, TMS_ID),
                ],
            }
        ],
    }


def tile_matrix_set_document(request: HttpRequest) -> dict:
    return {**tile_matrix_set(), "links": self_links(request)}


def _template(request: HttpRequest, tileset: str) -> str:
    """The tile service's URL of a tile, templated with OGC's names (column is x, row is
    y: WebMercatorQuad's origin is the top left corner, as the XYZ scheme's)."""
    sample = reverse("vector-tile", kwargs={"tileset": tileset, "z": 0, "x": 0, "y": 0})
    prefix = sample.removesuffix("0/0/0.mvt")
    return request.build_absolute_uri(prefix) + "{tileMatrix}/{tileCol}/{tileRow}.mvt"


def _summary(request: HttpRequest, collection: Collection) -> dict:
    own = absolute(request, "tileset", collection_id=collection.id, tms_id=TMS_ID)
    return {
        "title": str(collection.title),
        "dataType": "vector",
        "crs": WEB_MERCATOR,
        "tileMatrixSetURI": TMS_URI,
        "links": [
            link(own, "self", JSON, _("Tileset metadata")),
            link(f"{own}?f=html", "alternate", HTML, _("Tileset metadata")),
            link(
                absolute(request, "tile-matrix-set", tms_id=TMS_ID), REL_TILING_SCHEME, JSON, TMS_ID
            ),
        ],
    }


def tilesets_document(request: HttpRequest, collection: Collection) -> dict:
    return {"links": self_links(request), "tilesets": [_summary(request, collection)]}


def tileset_document(request: HttpRequest, collection: Collection) -> dict:
    tileset = collection.dataset.tileset
    layers = list(tileset_layers(tileset))
    low = min((layer.minzoom for layer in layers), default=0)
    high = max((layer.maxzoom for layer in layers), default=MAX_ZOOM)
    return {
        **_summary(request, collection),
        "description": str(collection.dataset.description),
        "tileMatrixSetLimits": [
            {
                "tileMatrix": str(z),
                "minTileRow": 0,
                "maxTileRow": 2**z - 1,
                "minTileCol": 0,
                "maxTileCol": 2**z - 1,
            }
            for z in range(low, min(high, MAX_ZOOM) + 1)
        ],
        "layers": [
            {
                "id": layer.name,
                "dataType": "vector",
                "geometryType": _geometry_kind(layer.geometry_type),
                "minTileMatrix": str(layer.minzoom),
                "maxTileMatrix": str(min(layer.maxzoom, MAX_ZOOM)),
            }
            for layer in layers
        ],
        "links": [
            *self_links(request),
            link(
                absolute(request, "tile-matrix-set", tms_id=TMS_ID), REL_TILING_SCHEME, JSON, TMS_ID
            ),
            link(_template(request, tileset), "item", MVT, _("A tile"), templated=True),
            link(
                request.build_absolute_uri(reverse("tilejson", kwargs={"tileset": tileset})),
                "describedby",
                JSON,
                "TileJSON",
            ),
            link(
                absolute(request, "collection", collection_id=collection.id),
                "collection",
                JSON,
                collection.title,
            ),
        ],
    }


def _geometry_kind(geometry_type: str) -> str:
    """OGC API – Tiles' words for a layer's geometries."""
    kind = geometry_type.lower().removeprefix("multi")
    return {"point": "points", "linestring": "lines", "polygon": "polygons"}.get(kind, "geometry")
