# SPDX-License-Identifier: AGPL-3.0-or-later
"""A lean asynchronous Redis connection for the tile endpoint's two commands.

A cached tile costs one MGET. Through redis.asyncio that round trip took ~220 µs of CPU
(connection-pool checkout, timeouts, per-command bookkeeping: measured with 5,000 MGETs
of a tile's three keys), more than everything else the endpoint does for a cached tile;
written on one pipelined connection and parsed by hiredis it takes ~40 µs. Commands are
answered in the order they were sent (RESP), so concurrent requests of one event loop
share the connection and each waits for its own reply.

The URL is read as redis-py reads it (``rediss://`` with its ``ssl_*`` options, a
``socket_timeout``), and the TLS context is the one redis-py would make from it.
"""

import asyncio
import socket
import ssl
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import hiredis
from redis.asyncio.connection import SSLConnection, parse_url


class RedisPipeError(ConnectionError):
    """The connection was lost, Redis answered with an error, or did not answer in time."""


@dataclass(frozen=True)
class RedisTarget:
    """Where a Redis URL points and how to talk to it, for the pipe and tiles.memory."""

    options: dict
    tls: ssl.SSLContext | None
    # Seconds to connect, and to wait for a reply: the URL's socket_connect_timeout and
    # socket_timeout when it has them, otherwise the one given.
    connect_timeout: float
    reply_timeout: float

    @classmethod
    def from_url(cls, url: str, timeout: float) -> "RedisTarget":
        options = parse_url(url)
        tls = None
        if options.get("connection_class") is SSLConnection:
            # redis-py's own context for these options: certificates required and the
            # host name checked unless the URL says otherwise (ssl_cert_reqs=none…).
            tls = SSLConnection(**_without(options, "connection_class")).ssl_context.get()
        reply_timeout = options.get("socket_timeout") or timeout
        return cls(
            options=options,
            tls=tls,
            connect_timeout=options.get("socket_connect_timeout") or reply_timeout,
            reply_timeout=reply_timeout,
        )

    @property
    def host(self) -> str:
        return self.options.get("host", "localhost")

    @property
    def port(self) -> int:
        return self.options.get("port", 6379)

    def setup_commands(self) -> list[bytes]:
        """AUTH for the URL's credentials, if it has any."""
        options = self.options
        if not options.get("password"):
            return []
        credentials = [options["username"]] if options.get("username") else []
        return [pack("AUTH", *credentials, options["password"])]

    def socket(self) -> socket.socket:
        """A blocking socket connected (and through TLS when the URL says so)."""
        if "path" in self.options:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.connect_timeout)
            try:
                sock.connect(self.options["path"])
            except BaseException:
                sock.close()
                raise
        else:
            sock = socket.create_connection((self.host, self.port), self.connect_timeout)
        if self.tls is None:
            return sock
        try:
            return self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def _without(options: dict, *names: str) -> dict:
    return {name: value for name, value in options.items() if name not in names}


class _Protocol(asyncio.Protocol):
    def __init__(self) -> None:
        self.reader = hiredis.Reader()
        self.waiting: deque[asyncio.Future] = deque()
        # When the oldest command still waiting for its reply was sent (the reply that
        # comes next is its own): the watchdog closes a connection left unanswered.
        self.oldest_sent = 0.0
        self.watched = False  # a watchdog timer is set for this connection
        self.transport: asyncio.Transport | None = None
        self.failure = "connection to Redis lost"

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.reader.feed(data)
        while (reply := self.reader.gets()) is not False:
            future = self.waiting.popleft()
            self.oldest_sent = time.monotonic()  # the next one's wait counts from now at most
            if future.done():  # its caller was cancelled; the reply is dropped
                continue
            if isinstance(reply, hiredis.ReplyError):
                future.set_exception(RedisPipeError(str(reply)))
            else:
                future.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        while self.waiting:
            future = self.waiting.popleft()
            if not future.done():
                future.set_exception(RedisPipeError(self.failure))


def pack(*args: bytes | str | int) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        value = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(value), value))
    return b"".join(parts)


class RedisPipe:
    """One connection per event loop, opened on first use and again after a loss.

    ``on_connect(send)`` is awaited each time the connection is made, before any other
    command goes through it; ``send(*args)`` sends a command on the new connection.
    A command left without a reply for ``timeout`` seconds (or the URL's socket_timeout)
    closes the connection: every command waiting on it fails with RedisPipeError, and the
    next one opens a new connection.
    """

    def __init__(
        self,
        url: str,
        on_connect: Callable[[Callable[..., Awaitable]], Awaitable] | None = None,
        *,
        timeout: float = 5.0,
    ) -> None:
        self.target = RedisTarget.from_url(url, timeout)
        self.on_connect = on_connect
        self.protocol: _Protocol | None = None
        self.connecting = asyncio.Lock()

    async def mget(self, keys: list[str]) -> list[bytes | None]:
        return await self.command("MGET", *keys)

    async def set(self, key: str, value: bytes, *, ex: int) -> None:
        await self.command("SET", key, value, "EX", ex)

    async def close(self) -> None:
        """Close the connection; the next command opens a new one."""
        protocol, self.protocol = self.protocol, None
        if protocol is not None and protocol.transport is not None:
            protocol.transport.close()

    async def command(self, *args: bytes | str | int):
        """Send one command and wait for its reply."""
        protocol = await self._connected()
        return await self._send(protocol, pack(*args))

    def _send(self, protocol: _Protocol, packed: bytes) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        if not protocol.waiting:
            protocol.oldest_sent = time.monotonic()
        if not protocol.watched:
            # One timer per connection at a time, not one per command: a timer per tile
            # would cost more than the round trip.
            protocol.watched = True
            loop.call_later(self.target.reply_timeout, self._watch, protocol)
        protocol.waiting.append(future)
        protocol.transport.write(packed)
        return future

    def _watch(self, protocol: _Protocol) -> None:
        """Close the connection if the oldest reply is overdue; otherwise look again when
        it would be."""
        if not protocol.waiting or protocol.transport is None:
            protocol.watched = False
            return
        overdue = protocol.oldest_sent + self.target.reply_timeout - time.monotonic()
        if overdue > 0:
            asyncio.get_running_loop().call_later(overdue, self._watch, protocol)
            return
        protocol.failure = f"Redis did not answer within {self.target.reply_timeout:g} s"
        protocol.transport.abort()  # connection_lost fails every waiting command

    async def _connected(self) -> _Protocol:
        if self.protocol is not None and self.protocol.transport is not None:
            return self.protocol
        async with self.connecting:
            if self.protocol is None or self.protocol.transport is None:
                self.protocol = await self._connect()
        return self.protocol

    async def _connect(self) -> _Protocol:
        loop = asyncio.get_running_loop()
        target = self.target
        try:
            async with asyncio.timeout(target.connect_timeout):
                if "path" in target.options:
                    _, protocol = await loop.create_unix_connection(
                        _Protocol, target.options["path"]
                    )
                else:
                    _, protocol = await loop.create_connection(
                        _Protocol, target.host, target.port, ssl=target.tls
                    )
        except (OSError, TimeoutError) as exc:
            raise RedisPipeError(f"cannot connect to Redis: {exc or 'timed out'}") from exc
        setup = [self._send(protocol, command) for command in target.setup_commands()]
        setup.append(self._send(protocol, pack("SELECT", target.options.get("db", 0))))
        try:
            await asyncio.gather(*setup)
            if self.on_connect is not None:
                await self.on_connect(lambda *args: self._send(protocol, pack(*args)))
        except BaseException:
            if protocol.transport is not None:  # not already lost
                protocol.transport.close()
            raise
        return protocol
