# SPDX-License-Identifier: AGPL-3.0-or-later
"""Exports are streamed a chunk at a time, under WSGI and under ASGI alike.

The proof is in PostgreSQL: while the first features are being sent, the export's
server-side cursor is still open in its transaction, its last statement a FETCH. An
export built whole before sending (what Django does under ASGI with a synchronous
iterator) would have closed its cursor by then.
"""

import asyncio
import json
import warnings
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.core.handlers.asgi import ASGIHandler
from django.db import connection, connections

from carto_concertation.contributions.exports import streams

from .conftest import public_count
from .test_api import export

BUFFERING_WARNING = "must consume synchronous iterators"


def open_fetches() -> int:
    """Sessions holding a transaction open whose last statement was a cursor's FETCH,
    seen from a connection of its own."""
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"],
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
    ) as probe:
        return probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state = 'idle in transaction' AND query LIKE 'FETCH FORWARD%%'"
        ).fetchone()[0]


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(streams, "CHUNK_ROWS", 2)


def test_wsgi_fetches_a_chunk_at_a_time(client, exported, small_chunks):
    response = export(client, exported, "geojson")
    assert response.streaming and not response.is_async
    chunks = iter(response.streaming_content)
    head = next(chunks)
    assert head.startswith(b'{"type": "FeatureCollection"')
    first = next(chunks)
    assert first.count(b'"type": "Feature"') == 2
    assert open_fetches() == 1, "the cursor stays open while the first rows are sent"
    rest = list(chunks)
    assert open_fetches() == 0
    assert [chunk.count(b'"type": "Feature"') for chunk in rest] == [2, 2, 0]
    collection = json.loads(b"".join([head, first, *rest]))
    assert len(collection["features"]) == public_count(exported)


async def _asgi_get(path: str, query: str, on_body) -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    sent = []
    requested = []

    async def receive():
        if requested:  # the client then stays connected until the answer is sent
            await asyncio.Event().wait()
        requested.append(True)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)
        if message["type"] == "http.response.body" and message.get("body"):
            on_body(message["body"])

    await ASGIHandler()(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def asgi_get(path: str, query: str, on_body=lambda body: None) -> tuple[int, bytes, list]:
    # In a thread of its own: a browser test earlier in the run may leave an event loop
    # running in this one. Warnings are recorded to catch Django buffering the iterator.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ThreadPoolExecutor(max_workers=1) as executor:
            status, body = executor.submit(asyncio.run, _asgi_get(path, query, on_body)).result()
    return status, body, [str(warning.message) for warning in caught]


@pytest.fixture
def asgi(settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["testserver"]
    # Django runs each request in a thread of its own under ASGI: no persistent
    # connections there (production uses a pool), or they outlive the test database.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)


def test_asgi_streams_the_geojson_without_buffering_it(exported, small_chunks, asgi):
    seen = []

    def on_body(body: bytes) -> None:
        if b'"type": "Feature"' in body and not seen:
            seen.append(open_fetches())

    path = f"/api/v1/concertations/{exported.slug}/export"
    status, body, caught = asgi_get(path, "format=geojson", on_body)
    assert status == 200
    assert not [message for message in caught if BUFFERING_WARNING in message]
    assert seen == [1], "the first features leave while the cursor is still open"
    assert len(json.loads(body)["features"]) == public_count(exported)


@pytest.mark.parametrize("fmt", ["csv", "gpkg"])
def test_asgi_streams_csv_and_geopackage_too(exported, asgi, fmt):
    path = f"/api/v1/concertations/{exported.slug}/export"
    status, body, caught = asgi_get(path, f"format={fmt}")
    assert status == 200
    assert not [message for message in caught if BUFFERING_WARNING in message]
    assert body.startswith(b"SQLite format 3\x00" if fmt == "gpkg" else b"\xef\xbb\xbfid;title;")
