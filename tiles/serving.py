# SPDX-License-Identifier: AGPL-3.0-or-later
"""Answering a vector tile request, shared by the Django view and the ASGI endpoint.

The ASGI endpoint (tiles.asgi) answers the same way with asynchronous I/O; what they
share — the headers, the conditional answer, the filters — lives here.
"""

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import redis
from django.conf import settings
from django.utils.translation import gettext as _

from layers.registry import LayerDefinition, built_in_tileset
from layers.selectors import tileset_layers, tileset_layers_kept

from . import cache as tile_cache
from .filters import (
    NO_FILTERS,
    TileFilterError,
    TileFilters,
    tile_filters_check,
    tile_filters_parse,
)
from .mvt import tile_bytes, tile_in_range
from .switch import tileset_switched_off

MVT = b"application/vnd.mapbox-vector-tile"
# How long a client should wait before asking again for a tile the cache failed.
RETRY_AFTER_SECONDS = 5

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TileAnswer:
    status: int
    body: bytes = b""
    # As ASGI sends them (lower-case names, bytes): the endpoint answers most tiles, and
    # encoding them for each cost 1.7 µs (measured), a seventh of its own Python per tile.
    headers: tuple[tuple[bytes, bytes], ...] = ()


def tile_answer(
    tile: tile_cache.CachedTile, *, if_none_match: str, accepts_gzip: bool
) -> TileAnswer:
    """200 with the tile (gzipped when accepted), 204 when empty, 304 when unchanged."""
    headers = (
        (b"cache-control", b"public, max-age=%d" % settings.TILE_CACHE_SECONDS),
        (b"etag", b'"%s"' % tile.etag.encode()),
        (b"vary", b"Accept-Encoding"),
        # Any website may draw our tiles (a commune's own page embedding the map). The
        # ASGI endpoint answers tiles without Django's middleware (django-cors-headers),
        # so the header is written here, for both.
        (b"access-control-allow-origin", b"*"),
    )
    if if_none_match and if_none_match.strip().removeprefix("W/").strip('"') == tile.etag:
        return TileAnswer(304, headers=headers)
    if not tile.gzipped:
        return TileAnswer(204, headers=headers)
    if accepts_gzip:
        return TileAnswer(
            200, tile.gzipped, (*headers, (b"content-type", MVT), (b"content-encoding", b"gzip"))
        )
    return TileAnswer(200, tile_cache.tile_gunzip(tile.gzipped), (*headers, (b"content-type", MVT)))


def filter_error_answer(error: TileFilterError) -> TileAnswer:
    return TileAnswer(
        400,
        json.dumps(error.as_dict(), ensure_ascii=False).encode(),
        ((b"content-type", b"application/json"),),
    )


def cache_away(error: Exception) -> None:
    """The tile cache's Redis failed: the tile is made from PostgreSQL and not kept."""
    logger.warning("Tile cache unavailable, tile made from the database: %s", error)


def database_unavailable_answer(error: BaseException) -> TileAnswer:
    """503 when PostgreSQL is away (a restart): at once, with when to try again."""
    logger.warning("Tile database unavailable: %r", error)
    body = {"detail": _("The map data is briefly unavailable; try again in a moment.")}
    return TileAnswer(
        503,
        json.dumps(body, ensure_ascii=False).encode(),
        (
            (b"content-type", b"application/json"),
            (b"retry-after", b"%d" % RETRY_AFTER_SECONDS),
            (b"cache-control", b"no-store"),
        ),
    )


def vector_tile_answer(
    tileset: str,
    z: int,
    x: int,
    y: int,
    *,
    query: Mapping[str, str] | None = None,
    if_none_match: str = "",
    accepts_gzip: bool = False,
) -> TileAnswer:
    if not tile_in_range(z, x, y):
        return TileAnswer(404)
    try:
        filters = tile_filters_parse(query or {})
    except TileFilterError as error:
        return filter_error_answer(error)
    return _vector_tile_answer(tileset, z, x, y, filters, if_none_match, accepts_gzip)


def _vector_tile_answer(
    tileset: str,
    z: int,
    x: int,
    y: int,
    filters: TileFilters,
    if_none_match: str,
    accepts_gzip: bool,
) -> TileAnswer:
    slot = tile = None
    if settings.TILE_CACHE_ENABLED:
        try:
            slot, tile = tile_cache.tile_lookup(tileset, z, x, y, filters.key())
        except redis.RedisError as error:
            cache_away(error)
    if tile is None:
        made = _tile_make(tileset, z, x, y, filters)
        if isinstance(made, TileAnswer):
            return made
        if slot is not None:
            try:
                tile = tile_cache.tile_put(slot, made)
            except redis.RedisError as error:
                cache_away(error)
        if tile is None:
            tile = tile_cache.tile_pack(made)
    return tile_answer(tile, if_none_match=if_none_match, accepts_gzip=accepts_gzip)


def tile_warm(tileset: str, z: int, x: int, y: int) -> str:
    """Put a tile in the cache as a request without filters would (the same lookup,
    making and storing, so the same bytes, gzip and ETag): "fresh" when a fresh one was
    cached already, "made" or "empty" (no feature: cached too, answered 204), "none"
    when the tileset has no layers. Raises the cache's RedisError: warming without the
    cache is pointless."""
    slot, tile = tile_cache.tile_lookup(tileset, z, x, y, NO_FILTERS.key())
    if tile is not None:
        return "fresh"
    made = _tile_make(tileset, z, x, y, NO_FILTERS)
    if isinstance(made, TileAnswer):
        return "none"
    tile_cache.tile_put(slot, made)
    return "made" if made else "empty"


def tileset_layers_current(tileset: str) -> Sequence[LayerDefinition]:
    """The layers of a tileset as of its data version in the tile cache: the registry
    keeps them per version, so a tile costs one SQL statement, and a change of their
    definitions (a tileset announced changed as a whole) has every process read them
    again. A built-in tileset needs no version (nor Redis)."""
    built_in = built_in_tileset(tileset)
    if built_in:
        return built_in
    try:
        version = tile_cache.tileset_version(tileset)
    except redis.RedisError as error:
        cache_away(error)
        version = None  # the layers as the database has them now, kept for no version
    kept = tileset_layers_kept(tileset, version) if version is not None else None
    if kept is not None:
        return kept
    # Read (and kept for this version) only where its module is on: a switch announces
    # the tileset changed, so the layers kept for the version before are asked no more.
    if tileset_switched_off(tileset):
        return ()
    return tileset_layers(tileset, version)


def _tile_make(tileset: str, z: int, x: int, y: int, filters: TileFilters) -> bytes | TileAnswer:
    """The tile's bytes, or the 404/400 answer when the tileset or a filter is wrong."""
    layers = tileset_layers_current(tileset)
    if not layers:
        return TileAnswer(404)
    try:
        tile_filters_check(filters, layers)
    except TileFilterError as error:
        return filter_error_answer(error)
    return tile_bytes(layers, z, x, y, filters)
