# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tile endpoint's Redis connection, against the real Redis: replies reach the
request that sent the command, errors are raised, a lost connection is reopened."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.conf import settings

from tiles.redis_pipe import RedisPipe, RedisPipeError


def run(scenario):
    """Run a coroutine function in an event loop of its own thread: a browser test earlier
    in the run may leave an event loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, scenario()).result()


@pytest.fixture
def keys():
    client = redis.Redis.from_url(settings.TILE_CACHE_URL)
    names = [f"test-redis-pipe:{i}" for i in range(40)]
    client.mset({name: f"value {i}".encode() for i, name in enumerate(names)})
    yield names
    client.delete(*names, "test-redis-pipe:written")


def test_concurrent_commands_each_get_their_own_reply(keys):
    async def scenario():
        pipe = RedisPipe(settings.TILE_CACHE_URL)
        replies = await asyncio.gather(*(pipe.mget([key, "test-redis-pipe:none"]) for key in keys))
        await pipe.set("test-redis-pipe:written", b"\x00\xffbytes", ex=60)
        written = await pipe.mget(["test-redis-pipe:written"])
        await pipe.close()
        return replies, written

    replies, written = run(scenario)
    assert replies == [[f"value {i}".encode(), None] for i in range(len(keys))]
    assert written == [b"\x00\xffbytes"]
    assert redis.Redis.from_url(settings.TILE_CACHE_URL).ttl("test-redis-pipe:written") > 0


def test_the_database_of_the_url_is_selected(keys):
    base, number = settings.TILE_CACHE_URL.rsplit("/", 1)
    other_db = f"{base}/{(int(number) + 1) % 16}"

    async def scenario():
        pipe = RedisPipe(other_db)
        reply = await pipe.mget([keys[0]])
        await pipe.close()
        return reply

    assert run(scenario) == [None]


def test_an_error_reply_is_raised():
    async def scenario():
        pipe = RedisPipe(settings.TILE_CACHE_URL.rsplit("/", 1)[0] + "/99999")
        with pytest.raises(RedisPipeError, match="DB index"):
            await pipe.mget(["x"])

    run(scenario)


def test_a_lost_connection_is_reopened(keys):
    client = redis.Redis.from_url(settings.TILE_CACHE_URL)

    async def scenario():
        pipe = RedisPipe(settings.TILE_CACHE_URL)
        # Only this connection: others (a worker, another test run) share the server.
        client.execute_command("CLIENT", "KILL", "ID", await pipe.command("CLIENT", "ID"))
        await asyncio.sleep(0.1)  # the event loop sees the connection close
        reopened = await asyncio.wait_for(pipe.mget([keys[1]]), timeout=5)
        await pipe.close()
        return reopened

    assert run(scenario) == [b"value 1"]
