# SPDX-License-Identifier: AGPL-3.0-or-later
"""At most WEB_CONCURRENT_REQUESTS requests in Django at once per web process; the others
wait their turn rather than fail on the connection pool (carto_concertation/asgi.py).
A request still sending its body holds no place."""

import asyncio

import pytest

from carto_concertation.asgi import SlottedASGIHandler

pytestmark = pytest.mark.django_db(transaction=True)


def scope() -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/v1/",
        "raw_path": b"/api/v1/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }


class Request:
    """One request through the handler: its body given at once or held back, and what it
    sent; ``held`` keeps it inside Django (its first send waits) until released."""

    def __init__(self, handler: SlottedASGIHandler, *, body_held: bool = False, held: bool = False):
        self.body = asyncio.Event()
        self.body_given = False
        if not body_held:
            self.body.set()
        self.release = asyncio.Event()
        if not held:
            self.release.set()
        self.inside = asyncio.Event()
        self.sent: list[dict] = []
        self.task = asyncio.create_task(handler(scope(), self.receive, self.send))

    async def receive(self) -> dict:
        if not self.body_given:
            await self.body.wait()
            self.body_given = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # then nothing (no disconnect) until Django is done
        return {}

    async def send(self, message: dict) -> None:
        self.inside.set()
        await self.release.wait()
        self.sent.append(message)

    def status(self) -> int | None:
        return next((m["status"] for m in self.sent if m["type"] == "http.response.start"), None)


async def one_slot_in_turn() -> None:
    handler = SlottedASGIHandler(1)
    uploading = Request(handler, body_held=True)
    first = Request(handler, held=True)
    await asyncio.wait_for(first.inside.wait(), timeout=30)
    second = Request(handler)
    # The second waits while the first is in Django, however long it takes.
    done, _ = await asyncio.wait({second.task}, timeout=1)
    assert not done and second.sent == []
    first.release.set()
    await asyncio.wait_for(asyncio.gather(first.task, second.task), timeout=30)
    assert (first.status(), second.status()) == (200, 200)
    # A body still on its way held no place; the handler is free again for it.
    assert uploading.sent == [] and not uploading.task.done()
    uploading.body.set()
    await asyncio.wait_for(uploading.task, timeout=30)
    assert uploading.status() == 200


def test_requests_wait_their_turn_beyond_the_slots():
    asyncio.run(one_slot_in_turn())


async def unbounded() -> None:
    handler = SlottedASGIHandler(0)
    first = Request(handler, held=True)
    await asyncio.wait_for(first.inside.wait(), timeout=30)
    second = Request(handler)
    await asyncio.wait_for(second.task, timeout=30)
    assert second.status() == 200
    first.release.set()
    await asyncio.wait_for(first.task, timeout=30)


def test_no_bound_when_set_to_zero():
    asyncio.run(unbounded())
