# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tile endpoint's database connections: asyncpg, at most ``size`` at once.

Why not asyncpg's Pool: its release goes through ``asyncio.shield`` and a reset query,
which cost two more turns of the event loop and a round trip per tile (10 system calls
per tile against 3, counted with strace). Tile statements leave nothing in a session —
no transaction, setting or lock — so a connection goes back as it is, and one that
failed in any way is closed rather than reused.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import asyncpg


class TileConnections:
    def __init__(self, connect: Callable[[], Awaitable[asyncpg.Connection]], size: int) -> None:
        self.connect = connect
        self.idle: list[asyncpg.Connection] = []
        self.slots = asyncio.Semaphore(size)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        async with self.slots:
            conn = await self._take()
            try:
                yield conn
            except BaseException:
                conn.terminate()
                raise
            if conn.is_closed():
                return
            self.idle.append(conn)

    async def _take(self) -> asyncpg.Connection:
        """An idle connection still open (the server may have closed one since), or a new one."""
        while self.idle:
            conn = self.idle.pop()
            if not conn.is_closed():
                return conn
        return await self.connect()

    async def close(self) -> None:
        idle, self.idle = self.idle, []
        for conn in idle:
            await conn.close()
