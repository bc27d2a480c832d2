# SPDX-License-Identifier: AGPL-3.0-or-later
"""Exports are streamed a chunk at a time, under WSGI and under ASGI alike.

The proof is in PostgreSQL: while the first features are being sent, the export's
server-side cursor is still open in its transaction, its last statement a FETCH. An
export built whole before sending (what Django does under ASGI with a synchronous
iterator) would have closed its cursor by then.
"""

import json
import warnings

import pytest
from django.core.handlers.asgi import ASGIHandler
from django.db import connections

from carto_concertation.contributions.exports import streams

from ..database import own_connection
from ..tiles.test_asgi_endpoint import run
from .conftest import public_count
from .test_api import export

BUFFERING_WARNING = "must consume synchronous iterators"


def open_fetches() -> int:
    """Sessions holding a transaction open whose last statement was a cursor's FETCH,
    seen from a connection of its own."""
    with own_connection() as probe:
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
    assert [chunk.count(b'"type": "Feature"') for chunk in rest] == [2, 2, 1, 0]
    collection = json.loads(b"".join([head, first, *rest]))
    assert len(collection["features"]) == public_count(exported)


def probed(app, on_body):
    """``app`` with ``on_body`` called on each piece of the body as it is sent."""

    async def application(scope, receive, send):
        async def probing_send(message):
            if message["type"] == "http.response.body" and message.get("body"):
                on_body(message["body"])
            await send(message)

        await app(scope, receive, probing_send)

    return application


def asgi_get(path: str, query: str, on_body=lambda body: None) -> tuple[int, bytes, list]:
    """Warnings are recorded to catch Django buffering a synchronous iterator."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ((status, _headers, body),) = run(probed(ASGIHandler(), on_body), (path, query, {}))
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
