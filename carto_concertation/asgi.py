# SPDX-License-Identifier: AGPL-3.0-or-later
"""The web server's application (uvicorn): vector tiles on the event loop, the rest in
Django (see tiles/asgi.py) at most WEB_CONCURRENT_REQUESTS at once (SlottedASGIHandler),
and what keeps each web process's memory bounded.

Web processes grew from ~0.37 to ~2 GB in an hour of use and stayed there. Measured
(tests/bench/test_memory_soak.py, tracemalloc, glibc's malloc_stats): the Python objects
that outlive requests do not grow (1.4 MB more after 3 minutes of mixed traffic); what
grows is memory the requests left behind. A request's objects often hold each other
(Django's related-object caches, DRF's serializers) and are freed only by a full garbage
collection, which CPython runs rarely in a process of ~170,000 long-lived objects: one
page of the contributions list left ~65 MB (its zones' GEOS geometries) until then. And
glibc keeps what is freed: each request runs in a thread of its own, and up to eight
malloc arenas per core hold freed memory half-used. A worker at 530 MB after eight pages
of that list went back to 474 MB with malloc_trim() alone, to 215 MB with gc.collect()
then malloc_trim().
"""

import asyncio
import contextvars
import ctypes
import gc
import os

import django
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler

# glibc's mallopt() parameter for the number of malloc arenas (malloc.h).
M_ARENA_MAX = -8
MALLOC_ARENAS = 2


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018  (glibc's, not musl's)
    except (OSError, AttributeError):
        return None
    return libc


def bound_malloc_arenas() -> None:
    """At most MALLOC_ARENAS malloc arenas in this process, unless MALLOC_ARENA_MAX says
    (glibc read it at start). Set before any request thread exists: glibc sizes its list
    of arenas when threads first ask for one."""
    libc = _libc()
    if libc is not None and "MALLOC_ARENA_MAX" not in os.environ:
        libc.mallopt(M_ARENA_MAX, MALLOC_ARENAS)


def release_memory(libc: ctypes.CDLL | None) -> None:
    """Free the garbage requests left, and hand glibc's free memory back to the system."""
    gc.collect()
    if libc is not None:
        libc.malloc_trim(0)


async def release_memory_periodically() -> None:
    """release_memory() every WEB_MEMORY_RELEASE_SECONDS, off the event loop's thread.

    The objects of the process's start are frozen first (gc.freeze): a collection then
    walks what requests left, not Django's modules. It costs what freeing the garbage
    costs — 0.1 ms when there is none; 0.4 s for three pages of the contributions list on
    this loaded two-core machine, where CPython's own full collection, which frees the
    same garbage later, walks the 168,000 objects of the start too (0.7 s for one page's
    garbage, measured)."""
    interval = settings.WEB_MEMORY_RELEASE_SECONDS
    if interval <= 0:
        return
    gc.collect()
    gc.freeze()
    libc = _libc()
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(interval)
        await loop.run_in_executor(None, release_memory, libc)


# Whether this request holds one of the process's slots (set in the request's own task).
_holding_slot = contextvars.ContextVar("holding_slot", default=False)


class SlottedASGIHandler(ASGIHandler):
    """Django serving at most `slots` requests at once; the others wait on the event loop.

    Each request runs in a thread of its own and takes a pooled connection: with more
    requests in flight than connections, the extra ones failed after the pool's timeout
    (half the answers at 200 users). A slot is taken once the request's body is in — a
    slow upload does not hold one — and given back when Django is done with the request
    (its connection is back in the pool by then: request_finished ran).
    """

    def __init__(self, slots: int) -> None:
        super().__init__()
        self.slots = asyncio.Semaphore(slots) if slots > 0 else None

    async def read_body(self, receive):
        body_file = await super().read_body(receive)
        if self.slots is not None:
            try:
                await self.slots.acquire()
            except BaseException:
                body_file.close()
                raise
            _holding_slot.set(True)
        return body_file

    async def handle(self, scope, receive, send) -> None:
        try:
            await super().handle(scope, receive, send)
        finally:
            if _holding_slot.get():
                _holding_slot.set(False)
                self.slots.release()


bound_malloc_arenas()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carto_concertation.settings")
django.setup(set_prefix=False)  # as get_asgi_application() does
django_application = SlottedASGIHandler(settings.WEB_CONCURRENT_REQUESTS)

from tiles.asgi import TileEndpoint  # noqa: E402  (needs Django set up)

application = TileEndpoint(django_application, while_serving=[release_memory_periodically])
