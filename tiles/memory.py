# SPDX-License-Identifier: AGPL-3.0-or-later
"""Cached tiles kept in the web process's memory, exact through Redis's client tracking.

A cached tile read from Redis costs a round trip (~100 µs here), as much as serving the
tile itself. Redis can instead tell a client when a key it has read changes (CLIENT
TRACKING, Redis ≥ 6): the tile endpoint's connection reads a tile's version, epoch and
bytes with tracking on, and Redis then sends the name of any of those keys that changes
(an import, a pinned idea, an expiry, a flush) to a second connection subscribed to
``__redis__:invalidate``. A tile is served from memory while none of its keys has
changed; the invalidations waiting on that connection are read without blocking before
every answer, so the tile that follows an invalidation is never the old one.

Two rules keep it exact when things race: a tile read before an invalidation was
processed is not kept (``generation``), and losing the subscribed connection empties the
memory and stops it until the Redis connection is made again (tracking then restarts).
"""

import asyncio
import logging
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import hiredis
from django.conf import settings

from .cache import CachedTile
from .redis_pipe import RedisPipeError, RedisTarget, pack

logger = logging.getLogger(__name__)

INVALIDATION_CHANNEL = "__redis__:invalidate"


@dataclass(frozen=True)
class _Entry:
    tile: CachedTile
    depends_on: tuple[str, ...]  # the tileset's version key and the tile's epoch keys
    expires: float
    size: int


class TileMemory:
    """At most ``max_bytes`` of gzipped tiles, keyed by their cache key."""

    def __init__(self, url: str, max_bytes: int, *, timeout: float = 5.0) -> None:
        self.target = RedisTarget.from_url(url, timeout)
        self.max_bytes = max_bytes
        self.tiles: dict[str, _Entry] = {}
        self.dependents: dict[str, set[str]] = {}
        self.size = 0
        # Moves with every invalidation: a tile read under an older generation may be
        # older than an invalidation already processed, and is not kept.
        self.generation = 0
        self.listener: socket.socket | None = None
        self.reader = hiredis.Reader(encoding="utf-8", errors="replace")

    @property
    def usable(self) -> bool:
        return self.max_bytes > 0 and self.listener is not None

    def get(self, keys: list[str]) -> CachedTile | None:
        """The tile under these keys (tiles.cache.lookup_keys), if held and still fresh."""
        self._drain()
        entry = self.tiles.get(keys[-1]) if self.usable else None
        if entry is None or entry.expires < time.monotonic():
            return None
        return entry.tile

    def keep(self, keys: list[str], tile: CachedTile, generation: int) -> None:
        """Hold a tile read or made after ``generation`` was taken."""
        self._drain()
        *stamps, tile_key = keys
        size = len(tile.gzipped) + len(tile_key) + 200  # the entry's own objects, roughly
        if not self.usable or generation != self.generation or size > self.max_bytes // 8:
            return
        self._drop(tile_key)
        while self.tiles and self.size + size > self.max_bytes:
            self._drop(next(iter(self.tiles)))  # the oldest first
        self.tiles[tile_key] = _Entry(
            tile, tuple(stamps), time.monotonic() + settings.TILE_CACHE_SECONDS, size
        )
        self.size += size
        for key in keys:
            self.dependents.setdefault(key, set()).add(tile_key)

    async def on_connect(self, send: Callable[..., Awaitable]) -> None:
        """Called by the Redis connection (tiles.redis_pipe) each time it is made, before
        any command: subscribe a second connection and turn tracking on towards it."""
        self.close()  # the previous channel, if any, served the previous connection
        if self.max_bytes <= 0:
            return
        try:
            listener, client_id = await self._listen()
        except (OSError, RedisPipeError) as exc:
            logger.warning("Tiles are read from Redis only: no invalidation channel (%s)", exc)
            return
        try:
            # NOLOOP: the tiles this connection writes itself are already known here.
            await send("CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "NOLOOP")
        except RedisPipeError as exc:
            listener.close()
            logger.warning("Tiles are read from Redis only: no client tracking (%s)", exc)
            return
        self.listener = listener

    def forget(self) -> None:
        """Drop every tile; what was read before this cannot be kept."""
        self.tiles.clear()
        self.dependents.clear()
        self.size = 0
        self.generation += 1

    def close(self) -> None:
        if self.listener is not None:
            self.listener.close()
            self.listener = None
        self.forget()

    async def _listen(self) -> tuple[socket.socket, int]:
        """The subscribed connection and its client id. Made in a thread, blocking with
        the URL's timeouts (a TLS handshake included): it is made once per connection."""
        listener, client_id = await asyncio.get_running_loop().run_in_executor(
            None, self._subscribe
        )
        listener.setblocking(False)
        self.reader = hiredis.Reader(encoding="utf-8", errors="replace")
        return listener, client_id

    def _subscribe(self) -> tuple[socket.socket, int]:
        listener = self.target.socket()
        try:
            listener.settimeout(self.target.reply_timeout)
            commands = [
                *self.target.setup_commands(),
                pack("CLIENT", "ID"),
                pack("SUBSCRIBE", INVALIDATION_CHANNEL),
            ]
            listener.sendall(b"".join(commands))
            reader = hiredis.Reader()
            replies: list = []
            while len(replies) < len(commands):
                data = listener.recv(4096)
                if not data:
                    raise RedisPipeError("connection to Redis lost")
                reader.feed(data)
                while (reply := reader.gets()) is not False:
                    if isinstance(reply, hiredis.ReplyError):
                        raise RedisPipeError(str(reply))
                    replies.append(reply)
        except BaseException:
            listener.close()
            raise
        return listener, replies[-2]

    def _drain(self) -> None:
        """Apply the invalidations Redis has sent, without waiting for more."""
        while self.listener is not None:
            try:
                data = self.listener.recv(65536)
            except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                return
            except OSError:
                data = b""
            if not data:
                logger.warning("Tiles are read from Redis only: invalidation channel lost")
                self.close()
                return
            self.reader.feed(data)
            while (message := self.reader.gets()) is not False:
                self._invalidate(message)

    def _invalidate(self, message: list) -> None:
        if not isinstance(message, list) or message[:2] != ["message", INVALIDATION_CHANNEL]:
            return
        keys = message[2]
        if keys is None:  # FLUSHDB, FLUSHALL, or the tracking table was full
            self.forget()
            return
        self.generation += 1
        for key in keys:
            for tile_key in list(self.dependents.get(key, ())):
                self._drop(tile_key)

    def _drop(self, tile_key: str) -> None:
        entry = self.tiles.pop(tile_key, None)
        if entry is None:
            return
        self.size -= entry.size
        for key in (*entry.depends_on, tile_key):
            holders = self.dependents.get(key)
            if holders is not None:
                holders.discard(tile_key)
                if not holders:
                    del self.dependents[key]
