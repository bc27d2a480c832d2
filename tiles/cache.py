# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tile cache in Redis with exact invalidation, read in one round trip.

A tileset has a data version; every tile has an epoch, and from AREA_ZOOM on the tile's
ancestor at AREA_ZOOM has an area epoch too. A change of the layers' definitions moves
the version (every tile of the tileset changes); a change somewhere (a feature, a plan
version of one territory) moves the epoch of just the tiles covering its old and new
bounding boxes, at the zooms where it is drawn, which makes all their filtered variants
stale at once. A box that covers many tiles from AREA_ZOOM on (a territory: 69,000 tiles
at z8–z18) moves the area epochs of its AREA_ZOOM tiles instead, a few hundred keys, and
so every tile under them at every zoom from AREA_ZOOM on. A cached tile records the
version and epochs it was made under; one MGET reads the tileset's version, the tile's
epochs and the tile, and the tile is fresh when they match (then a stale tile is simply
overwritten).

This cache talks to Redis directly rather than through Django's cache framework: the
Django view and the ASGI endpoint (tiles.asgi) must read and write the same bytes. A
value is ``<version>|<epoch>|<area epoch>|`` then the ETag (32 characters) then the gzipped tile
(nothing for a tile without features).

No writer calls this module: a write announces what it changed (core.changes) and
tiles.invalidation applies it here, after the commit. Only tiles imports it (an
import-linter contract).
"""

import json
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import redis
import xxhash
from django.conf import settings
from django.db import connection
from isal import isal_zlib

from .mvt import WEB_MERCATOR_WIDTH

HALF = WEB_MERCATOR_WIDTH / 2
ETAG_LENGTH = 32
GZIP_WBITS = 31  # zlib's way of asking for a gzip header and trailer
# ISA-L's level 1 builds Huffman tables for every tile: 29 µs for a 3 KB tile at z14,
# against 11 µs at level 0 (static tables), which is 20 % larger there (measured). Small
# tiles, whose SQL takes a millisecond, get level 0; big ones (low zooms, whose SQL takes
# tens of milliseconds) level 1, where it saves a quarter of the bytes.
GZIP_LEVEL_1_FROM = 16 * 1024
# From this zoom on a tile also depends on the area epoch of its ancestor at this zoom (a
# 2.4 km square): a change covering more than AREA_TILES_MAX tiles from here on moves
# those area epochs, which makes stale, besides its footprint, at most one such square
# around it at these zooms. Measured for a 40 × 30 km box at z8–z18: 100 epochs below
# z14 and 221 area epochs, against 69,415 tile epochs (2.2 s in one pipeline here).
AREA_ZOOM = 14
AREA_TILES_MAX = 64


@dataclass(frozen=True)
class CachedTile:
    gzipped: bytes  # empty for a tile without features
    etag: str


@dataclass(frozen=True)
class TileSlot:
    """Where a tile lives in the cache and under which version and epoch it is fresh."""

    key: str
    stamp: bytes  # b"<version>|<epoch>|<area epoch>|"


@cache
def _client() -> redis.Redis:
    # A Redis that stops answering fails a request after the timeout instead of holding
    # it; the URL's own socket_timeout and socket_connect_timeout win.
    timeout = settings.TILE_CACHE_TIMEOUT
    return redis.Redis.from_url(
        settings.TILE_CACHE_URL, socket_timeout=timeout, socket_connect_timeout=timeout
    )


def key_prefix() -> str:
    """Keys name their database, so two databases never share tiles on one Redis."""
    return f"tiles:{connection.settings_dict['NAME']}:"


def version_key(prefix: str, tileset: str) -> str:
    return f"{prefix}version:{tileset}"


def _epoch_key(prefix: str, tileset: str, z: int, x: int, y: int) -> str:
    return f"{prefix}epoch:{tileset}:{z}/{x}/{y}"


def _area_key(prefix: str, tileset: str, z: int, x: int, y: int) -> str:
    """The area epoch of a tile: its ancestor's at AREA_ZOOM; below, one key never
    written (a change there moves the tiles' own epochs)."""
    if z < AREA_ZOOM:
        return f"{prefix}epoch:{tileset}:area"
    shift = z - AREA_ZOOM
    return f"{prefix}epoch:{tileset}:area/{x >> shift}/{y >> shift}"


def lookup_keys(prefix: str, tileset: str, z: int, x: int, y: int, filters: str) -> list[str]:
    """What to MGET for one tile: the version, the epoch, the area epoch, the tile (last)."""
    return [
        version_key(prefix, tileset),
        _epoch_key(prefix, tileset, z, x, y),
        _area_key(prefix, tileset, z, x, y),
        f"{prefix}tile:{tileset}:{filters}:{z}/{x}/{y}",
    ]


def tile_read(keys: list[str], values: list[bytes | None]) -> tuple[TileSlot, CachedTile | None]:
    """The slot of a tile and the tile itself when the cached one is fresh."""
    *stamps, value = values
    slot = TileSlot(key=keys[-1], stamp=b"".join(b"%s|" % (stamp or b"0") for stamp in stamps))
    if value is None or not value.startswith(slot.stamp):
        return slot, None
    body = value[len(slot.stamp) :]
    return slot, CachedTile(gzipped=body[ETAG_LENGTH:], etag=body[:ETAG_LENGTH].decode())


def version_read(values: list[bytes | None]) -> int:
    """The tileset's data version among the values of lookup_keys()."""
    return int(values[0] or 0)


def tile_gzip(data: bytes) -> bytes:
    """Gzip with ISA-L: ~7x faster than zlib on tiles (0.12 against 0.82 ms for 23 KB at
    level 1, measured) and as small as zlib's level 6; a cache miss pays it on every tile."""
    level = 1 if len(data) >= GZIP_LEVEL_1_FROM else 0
    return isal_zlib.compress(data, level, wbits=GZIP_WBITS)


def tile_gunzip(gzipped: bytes) -> bytes:
    return isal_zlib.decompress(gzipped, wbits=GZIP_WBITS)


def tile_pack(data: bytes) -> CachedTile:
    return CachedTile(
        gzipped=tile_gzip(data) if data else b"",
        # XXH3-128: 0.4 µs for a z14 tile against 7 µs for MD5, 10 against 340 at z10.
        etag=xxhash.xxh3_128_hexdigest(data),
    )


def tile_value(slot: TileSlot, tile: CachedTile) -> bytes:
    return slot.stamp + tile.etag.encode() + tile.gzipped


def tile_lookup(
    tileset: str, z: int, x: int, y: int, filters: str = ""
) -> tuple[TileSlot, CachedTile | None]:
    """The cache slot of a tile as of now, and the tile if a fresh one is cached."""
    keys = lookup_keys(key_prefix(), tileset, z, x, y, filters)
    return tile_read(keys, _client().mget(keys))


def tile_put(slot: TileSlot, data: bytes) -> CachedTile:
    tile = tile_pack(data)
    _client().set(slot.key, tile_value(slot, tile), ex=settings.TILE_CACHE_SECONDS)
    return tile


def tileset_version(tileset: str) -> int:
    return int(_client().get(version_key(key_prefix(), tileset)) or 0)


def tilesets_versions(tilesets: list[str]) -> list[int]:
    """The data versions of these tilesets, in one round trip."""
    prefix = key_prefix()
    return [int(v or 0) for v in _client().mget([version_key(prefix, t) for t in tilesets])]


def _bounds_key(prefix: str, tileset: str) -> str:
    return f"{prefix}bounds:{tileset}"


def bounds_cached(tileset: str) -> tuple[list[float] | None, int]:
    """The WGS84 extent last computed for the tileset's current data version (None when
    there is none), and that version: an extent computed now is put under it."""
    prefix = key_prefix()
    version, value = _client().mget([version_key(prefix, tileset), _bounds_key(prefix, tileset)])
    version = int(version or 0)
    if value is None:
        return None, version
    stored = json.loads(value)
    return (stored["bounds"] if stored["version"] == version else None), version


def bounds_put(tileset: str, bounds: list[float], version: int) -> None:
    prefix = key_prefix()
    value = json.dumps({"version": version, "bounds": bounds})
    _client().set(_bounds_key(prefix, tileset), value, ex=settings.TILE_CACHE_SECONDS)


def _mercator(longitude: float, latitude: float) -> tuple[float, float]:
    latitude = max(-85.0511287798066, min(85.0511287798066, latitude))
    y = math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)) / math.pi * HALF
    return longitude / 180 * HALF, y


def bounds_forget_unless_within(tileset: str, *bboxes_3857) -> None:
    """A feature drawn outside the tileset's cached extent (a first idea in a new
    commune) makes the extent stale: TileJSON clients ask no tile outside its bounds."""
    cached, _version = bounds_cached(tileset)
    if cached is None:
        return
    west, south = _mercator(cached[0], cached[1])
    east, north = _mercator(cached[2], cached[3])
    # The cached extent is rounded to 1e-6 degrees (about 0.1 m): a margin of a metre.
    margin = 1.0
    if any(
        bbox[0] < west - margin
        or bbox[1] < south - margin
        or bbox[2] > east + margin
        or bbox[3] > north + margin
        for bbox in bboxes_3857
        if bbox
    ):
        _client().delete(_bounds_key(key_prefix(), tileset))


def tiles_forget_all() -> None:
    """Every tileset of this database is stale (a platform imported): every data version
    moves on and the cached tiles, epochs and extents go. Versions move on rather than
    start again, so a tile a request is still storing under the one it read is never
    served."""
    client = _client()
    tile_keys_forget(client, list(client.scan_iter(match=f"{key_prefix()}*", count=1000)))


def tile_keys_forget(client: redis.Redis, keys: Iterable[bytes]) -> None:
    """tiles_forget_all on keys already listed (those of other databases or of anything
    else are left): the tests' one SCAN of Redis before each test serves the rate limits
    too."""
    prefix = key_prefix().encode()
    versions = version_key(key_prefix(), "").encode()
    with client.pipeline(transaction=False) as pipe:
        for key in keys:
            if key.startswith(versions):
                pipe.incr(key)
            elif key.startswith(prefix):
                pipe.delete(key)
        pipe.execute()
    _invalidations_sent(client)


def tileset_touch(tileset: str) -> None:
    """Every tile of the tileset is stale (after an import): move to a new version."""
    client = _client()
    client.incr(version_key(key_prefix(), tileset))
    _invalidations_sent(client)


def _invalidations_sent(client: redis.Redis) -> None:
    """Return once Redis has sent the web processes (tiles.memory) the invalidations of
    the writes just answered. It writes them in the same pass as the writer's reply, but
    may write the reply first: the invalidation was not yet readable after 0.3 % of the
    replies (measured). The answer to a later command means that pass is over, so the
    request that follows a change sees it, in every process."""
    client.ping()


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


def tiles_invalidate(tileset: str, *bboxes_3857, zooms: range | None = None) -> int:
    """Make stale the tiles under these bounding boxes (old and new), at every zoom or at
    the given ones (an aggregated layer changes only at the zooms it is drawn); a box
    covering more than AREA_TILES_MAX tiles from AREA_ZOOM on, through its area epochs
    there. Returns the number of keys written."""
    epoch = uuid.uuid4().hex[:12]
    zooms = zooms if zooms is not None else range(settings.TILE_MAX_ZOOM + 1)
    prefix = key_prefix()
    keys = set()
    high = [z for z in zooms if z >= AREA_ZOOM]
    for bbox in filter(None, bboxes_3857):
        if high and _tiles_counted(bbox, high) > AREA_TILES_MAX:
            zooms_each = [z for z in zooms if z < AREA_ZOOM]
            keys.update(
                _area_key(prefix, tileset, AREA_ZOOM, x, y)
                for x, y in tiles_covering(bbox, AREA_ZOOM)
            )
        else:
            zooms_each = list(zooms)
        keys.update(
            _epoch_key(prefix, tileset, z, x, y)
            for z in zooms_each
            for x, y in tiles_covering(bbox, z)
        )
    # An epoch outlives the tiles cached under the previous one: were it to expire first,
    # a tile cached before it was set would look fresh again.
    client = _client()
    with client.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.set(key, epoch, ex=2 * settings.TILE_CACHE_SECONDS)
        pipe.execute()
    _invalidations_sent(client)
    return len(keys)


def _tiles_counted(bbox_3857: tuple[float, float, float, float], zooms: list[int]) -> int:
    """How many tiles tiles_covering would list at these zooms, without listing them."""
    total = 0
    for z in zooms:
        size = WEB_MERCATOR_WIDTH / 2**z
        margin = size * settings.TILE_BUFFER / settings.TILE_EXTENT
        columns = math.floor((bbox_3857[2] + margin) / size) - math.floor(
            (bbox_3857[0] - margin) / size
        )
        rows = math.floor((bbox_3857[3] + margin) / size) - math.floor(
            (bbox_3857[1] - margin) / size
        )
        total += (columns + 1) * (rows + 1)
    return total
