# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tile endpoint's database connections: asyncpg, at most ``size`` at once.

Why not asyncpg's Pool: its release goes through ``asyncio.shield`` and a reset query,
which cost two more turns of the event loop and a round trip per tile (10 system calls
per tile against 3, counted with strace). Tile statements leave nothing in a session —
no transaction, setting or lock — so a connection goes back as it is, and one that
failed in any way is closed rather than reused. One method runs one statement: a tile
needs nothing else, and a context manager around it cost a generator per tile.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg


class TileConnections:
    def __init__(self, connect: Callable[[], Awaitable[asyncpg.Connection]], size: int) -> None:
        self.connect = connect
        self.idle: list[asyncpg.Connection] = []
        self.slots = asyncio.Semaphore(size)

    async def fetchval(self, statement: str, args: Sequence[Any]) -> Any:
        """The first value of the statement's first row."""
        async with self.slots:
            conn = await self._take()
            try:
                value = await conn.fetchval(statement, *args)
            except BaseException:
                conn.terminate()
                raise
            if not conn.is_closed():
                self.idle.append(conn)
            return value

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
