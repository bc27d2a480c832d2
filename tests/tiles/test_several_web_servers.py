# SPDX-License-Identifier: AGPL-3.0-or-later
"""Two web servers on different ports, one PostgreSQL database and one Redis, as two
nodes behind a load balancer (docs/scaling.md): through HTTP only, a tile changed through
one is never served stale by the other (each keeps tiles in its own memory,
tiles.memory), a session opened on one is valid on the other, and a rate limit counts
the requests of both together."""

import gzip
import http.client
import json
import secrets
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

import mapbox_vector_tile
import pytest
from allauth.account.models import EmailAddress
from django.contrib.gis.geos import Point

from tests.core.servers import Server, web_server
from tests.core.test_throttles import fresh_loopback
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.worlds import lonlat_in

from .test_vector_tiles import tile_of

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 10
# One uvicorn process per server: the second read of a tile through a server lands in
# the process whose memory kept it at the first.
ONE_PROCESS = ("--workers", "1")
RATES = {"API_RATE_ANON": f"{LIMIT}/hour"}
IDEAS = "/api/v1/concertations/{slug}/contributions/"
ZOOM = 14  # points, not counts per commune


@pytest.fixture(scope="module")
def servers(django_db_setup):
    """Servers A and B for the module, on the test database (hence after its setup)."""
    with (
        web_server(RATES, args=ONE_PROCESS) as a,
        web_server(RATES, args=ONE_PROCESS) as b,
    ):
        yield a, b


def call(
    server: Server, method: str, path: str, *, body: str = "", headers: dict | None = None
) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def sign_in(server: Server, email: str) -> str:
    """The session cookie of a sign-in through the form of ``server``."""
    csrf = secrets.token_hex(16)
    body = f"csrfmiddlewaretoken={csrf}&login={email}&password={PASSWORD.replace(' ', '+')}"
    response, _ = call(
        server,
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status == 302, response.status
    cookies = SimpleCookie()
    for header in response.msg.get_all("Set-Cookie"):
        cookies.load(header)
    return cookies["sessionid"].value


def post_idea(server: Server, session: str, concertation, title: str) -> int:
    csrf = secrets.token_hex(16)
    body = {
        "title": title,
        "text": "Relier le bourg à la gare.",
        "themes": [concertation.themes.get(name="Mobilité").pk],
        "geometry": {"type": "Point", "coordinates": lonlat_in("UE")},
    }
    response, content = call(
        server,
        "POST",
        IDEAS.format(slug=concertation.slug),
        body=json.dumps(body),
        headers={
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/json",
        },
    )
    assert response.status == 201, content
    return json.loads(content)["id"]


def tile_path(concertation) -> str:
    point = Point(*lonlat_in("UE"), srid=4326).transform(3857, clone=True)
    x, y = tile_of(point.x, point.y, ZOOM)
    return f"/tiles/contributions-{concertation.slug}/{ZOOM}/{x}/{y}.mvt"


def tile(server: Server, concertation) -> tuple[str, set[str]]:
    """The ETag of the tile under the ideas and the titles it draws."""
    path = tile_path(concertation)
    response, body = call(server, "GET", path, headers={"Accept-Encoding": "gzip"})
    assert response.status in (200, 204), response.status
    if response.status == 204:
        return response.getheader("ETag"), set()
    decoded = mapbox_vector_tile.decode(gzip.decompress(body))
    features = decoded["contributions"]["features"]
    return response.getheader("ETag"), {f["properties"]["title"] for f in features}


def revalidated(server: Server, concertation, etag: str) -> int:
    """The status of a conditional read of the tile, as a CDN or a browser makes it."""
    headers = {"Accept-Encoding": "gzip", "If-None-Match": etag}
    response, _ = call(server, "GET", tile_path(concertation), headers=headers)
    return response.status


def test_a_tile_changed_through_one_server_is_fresh_on_the_other(servers, concertation):
    a, b = servers
    person = UserFactory()
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    session = sign_in(a, person.email)

    # A keeps the tile in its memory (read twice: the second from there, unchanged).
    etag, titles = tile(a, concertation)
    assert titles == set() and tile(a, concertation) == (etag, titles)
    assert revalidated(a, concertation, etag) == 304
    post_idea(b, session, concertation, "Une piste cyclable")
    assert revalidated(a, concertation, etag) == 200, "A confirmed the tile B's write changed"
    etag_after, titles = tile(a, concertation)
    assert titles == {"Une piste cyclable"}, "A served the tile it held before B's write"
    assert etag_after != etag

    # And the other way round: B holds the new tile, a write through A replaces it.
    assert tile(b, concertation) == (etag_after, titles)
    post_idea(a, session, concertation, "Des arceaux vélo")
    etag_last, titles = tile(b, concertation)
    assert titles == {"Une piste cyclable", "Des arceaux vélo"}
    assert etag_last != etag_after
    assert tile(a, concertation) == (etag_last, titles)


def test_a_session_opened_on_one_server_is_valid_on_the_other(servers):
    a, b = servers
    person = UserFactory()
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    session = sign_in(a, person.email)
    response, content = call(b, "GET", "/api/v1/me/", headers={"Cookie": f"sessionid={session}"})
    assert response.status == 200, content
    assert json.loads(content)["pseudonym"] == person.pseudonym
    anonymous, _ = call(b, "GET", "/api/v1/me/")
    assert anonymous.status in (401, 403)


def burst(targets: list[Server], source: str) -> Counter:
    """One request to the API per target, all released together from ``source``."""
    start = threading.Barrier(len(targets))

    def one(server: Server) -> int:
        conn = http.client.HTTPConnection(
            server.host, server.port, timeout=60, source_address=(source, 0)
        )
        start.wait()
        try:
            conn.request("GET", "/api/v1/layers/")
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    with ThreadPoolExecutor(len(targets)) as pool:
        return Counter(pool.map(one, targets))


def test_a_rate_limit_counts_the_requests_of_both_servers(servers):
    """A burst split across A and B stops at the limit of one server alone."""
    a, b = servers
    alone = burst([a] * 4 * LIMIT, fresh_loopback())
    split = burst([a, b] * 2 * LIMIT, fresh_loopback())
    assert alone == {200: LIMIT, 429: 3 * LIMIT}
    assert split == alone
