# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tile endpoints: vector tiles, TileJSON, raster tiles. Thin: the work is in mvt/raster."""

import gzip

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from layers.selectors import raster_layer_ready, tileset_layers

from . import cache as tile_cache
from .mvt import tile_bytes, tile_in_range
from .raster import raster_tile_png
from .tilejson import tilejson

MVT = "application/vnd.mapbox-vector-tile"


def _cache_headers(response: HttpResponse, etag: str | None = None) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={settings.TILE_CACHE_SECONDS}"
    if etag:
        response["ETag"] = f'"{etag}"'
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@require_GET
def vector_tile(request: HttpRequest, tileset: str, z: int, x: int, y: int) -> HttpResponse:
    layers = tileset_layers(tileset)
    if not layers or not tile_in_range(z, x, y):
        raise Http404
    if settings.TILE_CACHE_ENABLED:
        key = tile_cache.tile_key(tileset, z, x, y)
        tile = tile_cache.tile_get(key) or tile_cache.tile_put(key, tile_bytes(layers, z, x, y))
    else:
        tile = tile_cache.tile_pack(tile_bytes(layers, z, x, y))
    if request.headers.get("If-None-Match", "").strip('W/"') == tile.etag:
        return _cache_headers(HttpResponse(status=304), tile.etag)
    if not tile.gzipped:
        return _cache_headers(HttpResponse(status=204), tile.etag)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(tile.gzipped, content_type=MVT)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(tile.gzipped), content_type=MVT)
    return _cache_headers(response, tile.etag)


@require_GET
def tilejson_view(request: HttpRequest, tileset: str) -> JsonResponse:
    layers = tileset_layers(tileset)
    if not layers:
        raise Http404
    return JsonResponse(tilejson(request, tileset, layers))


@require_GET
def raster_tile(request: HttpRequest, layer: str, z: int, x: int, y: int) -> HttpResponse:
    raster = raster_layer_ready(layer)
    if raster is None or not tile_in_range(z, x, y):
        raise Http404
    png = raster_tile_png(raster.cog.path, z, x, y)
    if png is None:
        raise Http404
    return _cache_headers(HttpResponse(png, content_type="image/png"))
