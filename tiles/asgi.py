# SPDX-License-Identifier: AGPL-3.0-or-later
"""The vector tile endpoint as a bare ASGI application, in front of Django.

A map page asks for dozens of tiles at once; each is read from memory or one Redis round
trip when cached and one prepared SQL statement when not. Going through Django's request
cycle (its middleware, a thread per request) cost ~2 ms per tile, more than the SQL of a
z14 tile: here a tile is answered on the event loop with the process's tile memory
(tiles.memory), one pipelined Redis connection (tiles.redis_pipe) and asyncpg
connections with prepared statements (tiles.connections), and every other request goes
to Django. asyncpg rather than psycopg's asynchronous connection: psycopg made 12 system
calls per query on the event loop (it registers and unregisters its socket for every
wait), asyncpg 3 (counted with strace), and on this kind of machine each costs tens of
microseconds. What the answer is — filters, ETag, 204/304, gzip — is the same code as
the Django view's (tiles.serving, tiles.filters, tiles.mvt, tiles.cache).
"""

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from urllib.parse import parse_qsl

import asyncpg
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection

from layers.registry import LayerDefinition, built_in_tileset
from layers.selectors import tileset_layers_kept

from . import cache as tile_cache
from .connections import TileConnections, asyncpg_connect_kwargs
from .filters import TileFilterError, TileFilters, tile_filters_check, tile_filters_parse
from .memory import TileMemory
from .mvt import numbered_statement, tile_in_range, tile_params, tile_statement, visible_layers
from .redis_pipe import RedisPipe, RedisPipeError
from .serving import (
    TileAnswer,
    cache_away,
    database_unavailable_answer,
    tile_answer,
    tileset_layers_current,
)

TILE_PATH = re.compile(
    r"^/tiles/(?P<tileset>[\w-]+)/(?P<z>\d{1,2})/(?P<x>\d{1,8})/(?P<y>\d{1,8})\.mvt$"
)
PASS_TO_DJANGO = object()
# What PostgreSQL away (restarting, unreachable) raises on the tile path: a 503 for the
# tile; its connection is dropped and the next tile connects again.
DATABASE_AWAY = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.InterfaceError,
)
# After the tile cache's Redis failed, tiles are made from PostgreSQL without asking it
# for this long: a Redis that does not answer would otherwise hold every tile.
CACHE_RETRY_SECONDS = 5.0
STATEMENTS_KEPT = 4096  # (tileset, zoom) pairs


class TileEndpoint:
    """``/tiles/<tileset>/<z>/<x>/<y>.mvt`` here; errors and every other path in Django."""

    def __init__(
        self, django_app, while_serving: Sequence[Callable[[], Awaitable[None]]] = ()
    ) -> None:
        self.django_app = django_app
        # Tasks of the process run from the server's startup to its shutdown.
        self.while_serving = while_serving
        self.background: list[asyncio.Task] = []
        self.pool: TileConnections | None = None
        self.redis: RedisPipe | None = None
        self.memory: TileMemory | None = None
        self.started = asyncio.Lock()
        self.prefix = ""
        self.statements: dict[tuple[str, int], tuple[Sequence[LayerDefinition], tuple]] = {}
        self.cache_away_until = 0.0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            return await self.lifespan(receive, send)
        match = TILE_PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope["method"] not in ("GET", "HEAD"):
            return await self.django_app(scope, receive, send)
        headers = dict(scope["headers"])
        query_string = scope.get("query_string", b"")
        try:
            answer = await self.answer(
                match["tileset"],
                int(match["z"]),
                int(match["x"]),
                int(match["y"]),
                query=dict(parse_qsl(query_string.decode("latin-1"))) if query_string else {},
                if_none_match=headers.get(b"if-none-match", b"").decode("latin-1"),
                accepts_gzip=b"gzip" in headers.get(b"accept-encoding", b""),
            )
        except DATABASE_AWAY as error:
            answer = database_unavailable_answer(error)
        if answer is PASS_TO_DJANGO:
            # Django answers errors: its 404 page, a 400 in the visitor's language.
            return await self.django_app(scope, receive, send)
        await send(
            {
                "type": "http.response.start",
                "status": answer.status,
                "headers": [*answer.headers, (b"content-length", b"%d" % len(answer.body))],
            }
        )
        body = answer.body if scope["method"] == "GET" else b""
        await send({"type": "http.response.body", "body": body})

    async def answer(
        self,
        tileset: str,
        z: int,
        x: int,
        y: int,
        *,
        query: dict[str, str],
        if_none_match: str,
        accepts_gzip: bool,
    ) -> TileAnswer | object:
        if not tile_in_range(z, x, y):
            return PASS_TO_DJANGO
        try:
            filters = tile_filters_parse(query)
        except TileFilterError:
            return PASS_TO_DJANGO
        await self.start()
        slot = version = None
        if settings.TILE_CACHE_ENABLED and time.monotonic() >= self.cache_away_until:
            keys = tile_cache.lookup_keys(self.prefix, tileset, z, x, y, filters.key())
            tile = self.memory.get(keys)
            if tile is not None:
                return tile_answer(tile, if_none_match=if_none_match, accepts_gzip=accepts_gzip)
            generation = self.memory.generation
            try:
                values = await self.redis.mget(keys)
            except RedisPipeError as error:
                self.cache_failed(error)
            else:
                slot, tile = tile_cache.tile_read(keys, values)
                if tile is not None:
                    self.memory.keep(keys, tile, generation)
                    return tile_answer(tile, if_none_match=if_none_match, accepts_gzip=accepts_gzip)
                version = tile_cache.version_read(values)
        data = await self.tile_make(tileset, z, x, y, filters, version)
        if data is PASS_TO_DJANGO:
            return data
        tile = tile_cache.tile_pack(data)
        if slot is not None:
            value = tile_cache.tile_value(slot, tile)
            try:
                await self.redis.set(slot.key, value, ex=settings.TILE_CACHE_SECONDS)
            except RedisPipeError as error:
                self.cache_failed(error)
            else:
                self.memory.keep(keys, tile, generation)
        return tile_answer(tile, if_none_match=if_none_match, accepts_gzip=accepts_gzip)

    async def tile_make(
        self, tileset: str, z: int, x: int, y: int, filters: TileFilters, version: int | None
    ) -> bytes | object:
        layers = await self.tileset_layers(tileset, version)
        if not layers:
            return PASS_TO_DJANGO
        try:
            tile_filters_check(filters, layers)
        except TileFilterError:
            return PASS_TO_DJANGO
        statement, names = self.statement(tileset, z, layers)
        if not statement:
            return b""
        params = tile_params(z, x, y, filters)
        data = await self.pool.fetchval(statement, [params[name] for name in names])
        return bytes(data) if data else b""

    def cache_failed(self, error: RedisPipeError) -> None:
        """Tiles come from PostgreSQL for a while, and none read before is trusted: the
        invalidations Redis would have sent meanwhile are lost."""
        cache_away(error)
        self.cache_away_until = time.monotonic() + CACHE_RETRY_SECONDS
        self.memory.forget()

    def statement(
        self, tileset: str, z: int, layers: Sequence[LayerDefinition]
    ) -> tuple[str, tuple[str, ...]]:
        """The numbered statement of a tile at zoom z and its parameters' names ("" when no
        layer shows), kept while the tileset's layers are the same object: deriving it
        for every tile (the visible layers, hashed for tile_statement's memo) cost 1.6 µs
        in a tight loop (measured), and more on a loaded machine, out of the CPU cache."""
        kept = self.statements.get((tileset, z))
        if kept is not None and kept[0] is layers:
            return kept[1]
        visible = visible_layers(layers, z)
        found = numbered_statement(tile_statement(visible)) if visible else ("", ())
        if len(self.statements) > STATEMENTS_KEPT:
            self.statements.clear()
        self.statements[(tileset, z)] = (layers, found)
        return found

    async def tileset_layers(self, tileset: str, version: int | None) -> Sequence[LayerDefinition]:
        """The registry's answer: built-in tilesets and the layers kept for the data
        version the cache read gave, at once; otherwise through tileset_layers_current, in
        a thread (it reads Redis and may read the database: ~110 µs per tile, measured)."""
        layers = built_in_tileset(tileset)
        if not layers and version is not None:
            layers = tileset_layers_kept(tileset, version)
        if not layers:
            return await sync_to_async(tileset_layers_current, thread_sensitive=False)(tileset)
        return layers

    async def start(self) -> None:
        """Open the pool and the Redis client on first use, in this event loop."""
        if self.pool is not None:
            return
        async with self.started:
            if self.pool is not None:
                return
            self.prefix = tile_cache.key_prefix()
            url, timeout = settings.TILE_CACHE_URL, settings.TILE_CACHE_TIMEOUT
            self.memory = TileMemory(url, settings.TILE_MEMORY_MB * 2**20, timeout=timeout)
            self.redis = RedisPipe(url, on_connect=self.memory.on_connect, timeout=timeout)
            pool = TileConnections(_connect_as_django(), settings.TILE_DB_POOL_SIZE)
            await pool.fetchval("SELECT 1", ())  # fails here, at once, if the database is away
            self.pool = pool

    async def close(self) -> None:
        """Close what start() opened; the next tile opens it again."""
        if self.pool is None:
            return
        await self.pool.close()
        await self.redis.close()
        self.memory.close()
        self.pool = None

    async def lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.background = [asyncio.create_task(task()) for task in self.while_serving]
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for task in self.background:
                    task.cancel()
                await self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


def _connect_as_django() -> Callable[[], Awaitable[asyncpg.Connection]]:
    """A new asyncpg connection with Django's parameters (tiles.connections)."""
    params = connection.get_connection_params()
    server_settings = {
        # A fresh plan sometimes chose a parallel scan of a point table, 10–100× slower
        # (measured): tiles are small queries, one core each is best.
        "max_parallel_workers_per_gather": "0",
    }
    if not params.get("application_name"):
        server_settings["application_name"] = "carto-tiles"
    # Statements are prepared once per connection (as many as tile_statement keeps).
    return partial(
        asyncpg.connect,
        **asyncpg_connect_kwargs(params),
        statement_cache_size=256,
        server_settings=server_settings,
    )
