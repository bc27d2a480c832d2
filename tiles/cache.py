# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tile cache (the Django cache: Redis by default) with exact invalidation.

A tile's key carries its tileset's data version, the tile's own epoch and the filters.
A whole import moves the version (every tile of the tileset changes); a single feature
that changes moves the epoch of just the tiles covering its old and new bounding boxes,
at every zoom, which makes all their filtered variants stale at once.
"""

import gzip
import hashlib
import math
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from .mvt import WEB_MERCATOR_WIDTH

HALF = WEB_MERCATOR_WIDTH / 2


@dataclass(frozen=True)
class CachedTile:
    gzipped: bytes  # empty for a tile without features
    etag: str


def _version_key(tileset: str) -> str:
    return f"tileset-version:{tileset}"


def tileset_version(tileset: str) -> int:
    return cache.get_or_set(_version_key(tileset), 1, None)


def tileset_touch(tileset: str) -> None:
    """Every tile of the tileset is stale (after an import): move to a new version."""
    try:
        cache.incr(_version_key(tileset))
    except ValueError:
        cache.set(_version_key(tileset), 2, None)


def _epoch_key(tileset: str, z: int, x: int, y: int) -> str:
    return f"tile-epoch:{tileset}:{z}/{x}/{y}"


def tile_key(tileset: str, z: int, x: int, y: int, filters: str = "") -> str:
    version_key, epoch_key = _version_key(tileset), _epoch_key(tileset, z, x, y)
    found = cache.get_many([version_key, epoch_key])
    version = found.get(version_key) or tileset_version(tileset)
    return f"tile:{tileset}:v{version}:e{found.get(epoch_key, 0)}:{filters}:{z}/{x}/{y}"


def tile_get(key: str) -> CachedTile | None:
    return cache.get(key)


def tile_pack(data: bytes) -> CachedTile:
    return CachedTile(
        gzipped=gzip.compress(data, compresslevel=6, mtime=0) if data else b"",
        etag=hashlib.md5(data, usedforsecurity=False).hexdigest(),
    )


def tile_put(key: str, data: bytes) -> CachedTile:
    tile = tile_pack(data)
    cache.set(key, tile, settings.TILE_CACHE_SECONDS)
    return tile


def tiles_covering(bbox_3857: tuple[float, float, float, float], z: int) -> list[tuple[int, int]]:
    """The (x, y) of the tiles at zoom z that a Web Mercator bounding box touches,
    widened by the tile buffer (a feature near an edge is drawn in the next tile too)."""
    size = WEB_MERCATOR_WIDTH / 2**z
    margin = size * settings.TILE_BUFFER / settings.TILE_EXTENT
    xmin, ymin, xmax, ymax = bbox_3857
    last = 2**z - 1

    def column(value: float) -> int:
        return min(last, max(0, math.floor((value + HALF) / size)))

    def row(value: float) -> int:
        return min(last, max(0, math.floor((HALF - value) / size)))

    return [
        (x, y)
        for x in range(column(xmin - margin), column(xmax + margin) + 1)
        for y in range(row(ymax + margin), row(ymin - margin) + 1)
    ]


def tiles_invalidate(tileset: str, *bboxes_3857) -> int:
    """Make stale the tiles under these bounding boxes (old and new) at every zoom."""
    epoch = uuid.uuid4().hex[:12]
    keys = {
        _epoch_key(tileset, z, x, y): epoch
        for bbox in bboxes_3857
        if bbox
        for z in range(settings.TILE_MAX_ZOOM + 1)
        for x, y in tiles_covering(bbox, z)
    }
    cache.set_many(keys, settings.TILE_CACHE_SECONDS)
    return len(keys)
