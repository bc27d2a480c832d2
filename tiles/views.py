# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tile endpoints: vector tiles, TileJSON, raster tiles. Thin: the work is in mvt/raster."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from carto_concertation.core.modules import space_public
from layers.selectors import raster_layer_ready, tileset_layers

from .filters import TileFilterError, tile_filters_check, tile_filters_parse
from .mvt import tile_in_range
from .raster import raster_tile_png
from .serving import vector_tile_answer
from .styles import space_style
from .switch import tileset_switched_off
from .tilejson import raster_tilejson, tilejson


def _cache_headers(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={settings.TILE_CACHE_SECONDS}"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@require_GET
def vector_tile(request: HttpRequest, tileset: str, z: int, x: int, y: int) -> HttpResponse:
    answer = vector_tile_answer(
        tileset,
        z,
        x,
        y,
        query=request.GET,
        if_none_match=request.headers.get("If-None-Match", ""),
        accepts_gzip="gzip" in request.headers.get("Accept-Encoding", ""),
    )
    if answer.status == 404:
        raise Http404
    response = HttpResponse(answer.body, status=answer.status)
    for name, value in answer.headers:
        response[name.decode()] = value.decode()
    return response


@require_GET
def tilejson_view(request: HttpRequest, tileset: str) -> JsonResponse:
    layers = tileset_layers(tileset)
    if not layers or tileset_switched_off(tileset):
        raise Http404
    try:
        filters = tile_filters_parse(request.GET)
        tile_filters_check(filters, layers)
    except TileFilterError as error:
        return JsonResponse(error.as_dict(), status=400)
    return JsonResponse(tilejson(request, tileset, layers, filters))


@require_GET
def raster_tilejson_view(request: HttpRequest, layer: str) -> JsonResponse:
    raster = raster_layer_ready(layer)
    if raster is None:
        raise Http404
    return JsonResponse(raster_tilejson(request, raster))


@require_GET
def style_view(request: HttpRequest, slug: str) -> JsonResponse:
    space = space_public(slug)
    if space is None:
        raise Http404
    response = JsonResponse(space_style(request, space))
    response["Cache-Control"] = "public, max-age=300"  # themes may change during the day
    return response


@require_GET
def raster_tile(request: HttpRequest, layer: str, z: int, x: int, y: int) -> HttpResponse:
    raster = raster_layer_ready(layer)
    if raster is None or not tile_in_range(z, x, y):
        raise Http404
    png = raster_tile_png(raster.cog.path, z, x, y)
    if png is None:
        raise Http404
    return _cache_headers(HttpResponse(png, content_type="image/png"))
