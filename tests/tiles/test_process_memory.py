# SPDX-License-Identifier: AGPL-3.0-or-later
"""What keeps a web process's memory bounded (carto_concertation/asgi.py): few malloc
arenas however many request threads, and the garbage requests leave collected and given
back while the server runs. How flat it stays under traffic is measured by
tests/bench/test_memory_soak.py."""

import asyncio
import gc
import os
import subprocess
import sys
import weakref
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from carto_concertation.asgi import application, release_memory_periodically
from tiles.asgi import TileEndpoint

ROOT = Path(__file__).resolve().parent.parent.parent

# Eight threads alive at once, each allocating outside Python's own allocator (as psycopg,
# GEOS and large strings do), as eight requests in their threads would; then glibc's
# report of its arenas on stderr.
THREADS_ALLOCATING = """
import ctypes, threading
import carto_concertation.asgi
barrier = threading.Barrier(8)
def request():
    blocks = [bytearray(4096) for _ in range(200)]
    barrier.wait()
threads = [threading.Thread(target=request) for _ in range(8)]
for thread in threads: thread.start()
for thread in threads: thread.join()
ctypes.CDLL("libc.so.6").malloc_stats()
"""


def test_request_threads_share_two_malloc_arenas():
    env = {name: value for name, value in os.environ.items() if name != "MALLOC_ARENA_MAX"}
    run = subprocess.run(
        [sys.executable, "-c", THREADS_ALLOCATING],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "carto_concertation.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    arenas = [line for line in run.stderr.splitlines() if line.startswith("Arena ")]
    assert 1 <= len(arenas) <= 2, run.stderr


class Holder:
    """Objects that hold each other, as a request's model instances and serializers do:
    only a garbage collection frees them."""


def test_the_garbage_of_requests_is_collected_while_the_server_runs(settings):
    settings.WEB_MEMORY_RELEASE_SECONDS = 1

    async def scenario():
        endpoint = TileEndpoint(application.django_app, while_serving=[release_memory_periodically])
        messages: asyncio.Queue = asyncio.Queue()
        sent: list[dict] = []

        async def send(message):
            sent.append(message)

        await messages.put({"type": "lifespan.startup"})
        lifespan = asyncio.create_task(endpoint.lifespan(messages.get, send))
        while not sent:
            await asyncio.sleep(0.05)
        holder = Holder()
        holder.itself, holder.payload = holder, bytearray(32 * 2**20)
        left = weakref.ref(holder)
        del holder
        await asyncio.sleep(3)  # an idle server: nothing else would collect it
        collected = left() is None
        await messages.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(lifespan, 10)
        return collected, [message["type"] for message in sent]

    try:
        with ThreadPoolExecutor(max_workers=1) as executor:
            collected, sent = executor.submit(asyncio.run, scenario()).result()
    finally:
        gc.unfreeze()  # the task froze this test process's objects
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert collected
