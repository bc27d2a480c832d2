# SPDX-License-Identifier: AGPL-3.0-or-later
"""Answering a vector tile request, shared by the Django view and the WSGI fast path."""

import gzip
from dataclasses import dataclass

from django.conf import settings

from layers.selectors import tileset_layers

from . import cache as tile_cache
from .mvt import tile_bytes, tile_in_range

MVT = "application/vnd.mapbox-vector-tile"


@dataclass(frozen=True)
class TileAnswer:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


def vector_tile_answer(
    tileset: str, z: int, x: int, y: int, *, if_none_match: str = "", accepts_gzip: bool = False
) -> TileAnswer:
    layers = tileset_layers(tileset)
    if not layers or not tile_in_range(z, x, y):
        return TileAnswer(404)
    if settings.TILE_CACHE_ENABLED:
        key = tile_cache.tile_key(tileset, z, x, y)
        tile = tile_cache.tile_get(key) or tile_cache.tile_put(key, tile_bytes(layers, z, x, y))
    else:
        tile = tile_cache.tile_pack(tile_bytes(layers, z, x, y))
    headers = [
        ("Cache-Control", f"public, max-age={settings.TILE_CACHE_SECONDS}"),
        ("ETag", f'"{tile.etag}"'),
        ("Vary", "Accept-Encoding"),
    ]
    if if_none_match.strip().removeprefix("W/").strip('"') == tile.etag:
        return TileAnswer(304, headers=tuple(headers))
    if not tile.gzipped:
        return TileAnswer(204, headers=tuple(headers))
    headers.append(("Content-Type", MVT))
    if accepts_gzip:
        headers.append(("Content-Encoding", "gzip"))
        return TileAnswer(200, tile.gzipped, tuple(headers))
    return TileAnswer(200, gzip.decompress(tile.gzipped), tuple(headers))
