# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tile endpoint's database connections: asyncpg, at most ``size`` at once.

Why not asyncpg's Pool: its release goes through ``asyncio.shield`` and a reset query,
which cost two more turns of the event loop and a round trip per tile (10 system calls
per tile against 3, counted with strace). Tile statements leave nothing in a session —
no transaction, setting or lock — so a connection goes back as it is, and one that
failed in any way is closed rather than reused. One method runs one statement: a tile
needs nothing else, and a context manager around it cost a generator per tile.

They connect as Django's own connections do: from the parameters Django gives psycopg
(DATABASES['default'] with its OPTIONS: sslmode, sslrootcert, sslcert, sslkey,
connect_timeout, options, application_name…), handed to asyncpg as the libpq keywords it
reads; an option asyncpg cannot honour stops the endpoint rather than being dropped.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlencode

import asyncpg
from django.core.exceptions import ImproperlyConfigured

# The libpq keywords asyncpg reads from a connection string (asyncpg.connect_utils);
# application_name and options reach the server in the startup message, as libpq sends
# them. connect_timeout becomes asyncpg's timeout.
ASYNCPG_KEYWORDS = frozenset(
    {
        "host",
        "port",
        "dbname",
        "user",
        "password",
        "passfile",
        "service",
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "sslpassword",
        "sslcrl",
        "sslnegotiation",
        "ssl_min_protocol_version",
        "ssl_max_protocol_version",
        "target_session_attrs",
        "krbsrvname",
        "gsslib",
        "application_name",
        "options",
    }
)
# What Django's get_connection_params() adds for psycopg itself (asyncpg speaks UTF-8).
PSYCOPG_ONLY = frozenset({"cursor_factory", "context", "prepare_threshold", "client_encoding"})
CONNECT_TIMEOUT = 10  # seconds, when the database settings give none
# How a connection the server closed fails on its next statement.
CONNECTION_LOST = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.InterfaceError,
)


def asyncpg_connect_kwargs(django_params: dict[str, Any]) -> dict[str, Any]:
    """asyncpg.connect()'s dsn and timeout for the parameters Django gives psycopg
    (``connection.get_connection_params()``)."""
    params = {k: v for k, v in django_params.items() if k not in PSYCOPG_ONLY and v is not None}
    timeout = params.pop("connect_timeout", None)
    unsupported = sorted(set(params) - ASYNCPG_KEYWORDS)
    if unsupported:
        raise ImproperlyConfigured(
            "The tile endpoint's connections (asyncpg) cannot honour these database "
            f"options of DATABASE_URL: {', '.join(unsupported)}."
        )
    return {
        "dsn": "postgresql://?" + urlencode({k: str(v) for k, v in params.items()}),
        "timeout": float(timeout) if timeout else CONNECT_TIMEOUT,
    }


class TileConnections:
    def __init__(self, connect: Callable[[], Awaitable[asyncpg.Connection]], size: int) -> None:
        self.connect = connect
        self.idle: list[asyncpg.Connection] = []
        self.slots = asyncio.Semaphore(size)

    async def fetchval(self, statement: str, args: Sequence[Any]) -> Any:
        """The first value of the statement's first row.

        An idle connection the server closed meanwhile (PostgreSQL restarted) is known
        only when used: the statement is sent again once, on a new connection."""
        async with self.slots:
            conn, reused = await self._take()
            try:
                value = await conn.fetchval(statement, *args)
            except CONNECTION_LOST:
                conn.terminate()
                if not reused:
                    raise
                self.idle.clear()  # closed by the same restart
                conn = await self.connect()
                value = await self._fetchval_once(conn, statement, args)
            except BaseException:
                conn.terminate()
                raise
            if not conn.is_closed():
                self.idle.append(conn)
            return value

    @staticmethod
    async def _fetchval_once(conn: asyncpg.Connection, statement: str, args: Sequence[Any]) -> Any:
        try:
            return await conn.fetchval(statement, *args)
        except BaseException:
            conn.terminate()
            raise

    async def _take(self) -> tuple[asyncpg.Connection, bool]:
        """An idle connection still open (the server may have closed one since), or a new
        one; and whether it was idle."""
        while self.idle:
            conn = self.idle.pop()
            if not conn.is_closed():
                return conn, True
        return await self.connect(), False

    async def close(self) -> None:
        idle, self.idle = self.idle, []
        for conn in idle:
            await conn.close()
