# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ASGI tile endpoint answers tiles exactly as the Django view does, and passes
everything else (errors included) to Django."""

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.db import connections

from carto_concertation.asgi import application
from plui_documents.models import Zone
from plui_documents.services import plui_import
from tests.worlds import lonlat_in
from tiles.asgi import TileEndpoint
from tiles.mvt import numbered_statement
from tiles.serving import tileset_layers_current

from ..database import own_connection
from ..plui_documents.conftest import TROIS_PROVINCES
from .test_contribution_tiles import pin
from .test_vector_tiles import tile_of

pytestmark = pytest.mark.django_db(transaction=True)


async def call(app, path: str, query: str = "", **headers) -> tuple[int, dict, bytes]:
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
        "headers": [(b"host", b"testserver")]
        + [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()],
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

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers = {name.decode().lower(): value.decode() for name, value in start["headers"]}
    return start["status"], headers, body


def run(app, *requests):
    """Several requests in one event loop (the endpoint's pool belongs to its loop)."""

    async def main():
        try:
            return [await call(app, *request[:2], **request[2]) for request in requests]
        finally:
            if isinstance(app, TileEndpoint):
                await app.close()

    # In a thread of its own: a browser test earlier in the run may leave an event loop
    # running in this one.
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, main()).result()


@pytest.fixture
def tile_path(settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["testserver"]
    # Django runs each request in a thread of its own under ASGI: no persistent
    # connections there (production uses a pool), or they outlive the test database.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    plui_import(path=TROIS_PROVINCES, analyse=False)
    point = Zone.objects.filter(libelle="UE").first().geom_3857.point_on_surface
    x, y = tile_of(point.x, point.y, 14)
    return f"/tiles/zoning/14/{x}/{y}.mvt"


@pytest.mark.parametrize("cached", [True, False])
def test_same_answer_as_the_django_view(client, tile_path, settings, cached):
    settings.TILE_CACHE_ENABLED = cached
    endpoint = TileEndpoint(application.django_app)
    (status, headers, body), (second, _h, _b) = run(
        endpoint,
        (tile_path, "", {"accept_encoding": "gzip"}),
        (tile_path, "", {"accept_encoding": "gzip"}),
    )
    view = client.get(tile_path, headers={"accept-encoding": "gzip"})
    assert status == second == 200
    assert body == view.content
    assert headers["etag"] == view["ETag"]
    assert headers["content-encoding"] == "gzip"
    assert headers["content-type"] == "application/vnd.mapbox-vector-tile"
    assert "zones" in mapbox_vector_tile.decode(gzip.decompress(body))
    ((not_modified, _h, _b),) = run(endpoint, (tile_path, "", {"if_none_match": headers["etag"]}))
    assert not_modified == 304


def test_errors_and_other_requests_go_to_django(tile_path):
    endpoint = TileEndpoint(application.django_app)
    out_of_range, unknown, bad_filter, health = run(
        endpoint,
        ("/tiles/zoning/23/0/0.mvt", "", {}),
        ("/tiles/nothing/10/0/0.mvt", "", {}),
        (tile_path, "since=yesterday", {"accept_language": "en"}),
        ("/healthz", "", {}),
    )
    assert out_of_range[0] == unknown[0] == 404
    assert bad_filter[0] == 400
    assert b"YYYY-MM-DD" in bad_filter[2] and b"since" in bad_filter[2]
    assert health[0] in (200, 503)
    assert health[1]["content-type"] == "application/json"


@pytest.mark.parametrize("cached", [True, False])
def test_filtered_contribution_tiles_are_the_django_views(
    client,
    concertation,
    resident,
    settings,
    monkeypatch,
    cached,
):
    """Every filter reaches the endpoint's statement as a typed parameter: the same
    features, bytes and ETag as the Django view, at the points' zoom and the counts'."""
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.TILE_CACHE_ENABLED = cached
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    here = lonlat_in("UE")
    pin(client, concertation, here)
    pin(client, concertation, here, theme="Habitat", title="Des logements")
    theme = concertation.themes.get(name="Habitat").pk
    point = Point(*here, srid=4326).transform(3857, clone=True)
    queries = [
        "",
        f"theme={theme}",
        "status=published,under_study",
        "status=retained",
        "since=2000-01-01&until=2000-12-31",
        f"since=2000-01-01&theme={theme}",
    ]
    requests = [
        (
            f"/tiles/contributions-{concertation.slug}/{z}/{x}/{y}.mvt",
            query,
            {"accept_encoding": "gzip"},
        )
        for z in (10, 14)
        for x, y in [tile_of(point.x, point.y, z)]
        for query in queries
    ]
    answers = run(TileEndpoint(application.django_app), *requests)
    features = set()
    for (path, query, _headers), (status, headers, body) in zip(requests, answers, strict=True):
        view = client.get(f"{path}?{query}", headers={"accept-encoding": "gzip"})
        assert (status, body) == (view.status_code, view.content), (path, query)
        assert headers["etag"] == view["ETag"]
        if status == 200:
            features.add(
                sum(
                    len(layer["features"])
                    for layer in mapbox_vector_tile.decode(gzip.decompress(body)).values()
                )
            )
    assert features  # some tiles hold features, and the filtered ones differ from them
    assert answers[queries.index("status=retained") + len(queries)][0] == 204


def test_contribution_tiles_take_their_layers_from_the_version_their_cache_read_gave(
    client,
    concertation,
    resident,
    settings,
    monkeypatch,
):
    """Once a concertation's layers are read, an uncached tile of its contributions finds
    them by the data version its cache lookup read: no selector call (a thread and a Redis
    read) per tile."""
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.TILE_CACHE_ENABLED = True
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    here = lonlat_in("UE")
    pin(client, concertation, here)
    point = Point(*here, srid=4326).transform(3857, clone=True)
    x, y = tile_of(point.x, point.y, 14)
    reads = []

    def counted(tileset):
        reads.append(tileset)
        return tileset_layers_current(tileset)

    monkeypatch.setattr("tiles.asgi.tileset_layers_current", counted)
    paths = [f"/tiles/contributions-{concertation.slug}/14/{x + dx}/{y}.mvt" for dx in range(4)]
    answers = run(TileEndpoint(application.django_app), *((path, "", {}) for path in paths))
    assert answers[0][0] == 200
    assert {status for status, _h, _b in answers} <= {200, 204}
    assert len(reads) <= 1, reads
    # The same answers as the Django view, which reads the layers on every tile.
    for path, (_status, headers, _body) in zip(paths, answers, strict=True):
        assert headers["etag"] == client.get(path)["ETag"]


def test_a_database_connection_closed_by_the_server_is_replaced(tile_path, settings):
    """PostgreSQL restarted, or an administrator ended the tile endpoint's sessions: the
    next tile opens a new connection instead of failing."""
    settings.TILE_CACHE_ENABLED = False  # every request runs the tile's statement
    endpoint = TileEndpoint(application.django_app)

    async def main():
        try:
            first = await call(endpoint, tile_path)
            ended = await asyncio.to_thread(_end_the_tile_sessions)
            await asyncio.sleep(0.2)  # the endpoint's event loop sees its connections close
            return first, ended, await call(endpoint, tile_path)
        finally:
            await endpoint.close()

    with ThreadPoolExecutor(max_workers=1) as executor:
        first, ended, second = executor.submit(asyncio.run, main()).result()
    assert ended >= 1
    assert first[0] == second[0] == 200 and first[2] == second[2]


def _end_the_tile_sessions() -> int:
    with own_connection() as conn:
        return conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = 'carto-tiles' AND datname = current_database()"
        ).fetchone()[0]


def test_statements_are_numbered_for_asyncpg_with_their_parameters_in_order():
    statement = (
        "SELECT %(z)s, %(x)s, ST_TileEnvelope(%(z)s, 0, 0), '100%%' WHERE %(theme)s::int IS NULL"
    )
    assert numbered_statement(statement) == (
        "SELECT $1, $2, ST_TileEnvelope($1, 0, 0), '100%' WHERE $3::int IS NULL",
        ("z", "x", "theme"),
    )
