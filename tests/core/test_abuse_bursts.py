# SPDX-License-Identifier: AGPL-3.0-or-later
"""Floods, each as a burst of simultaneous requests on a real server (two uvicorn
processes, Redis): anonymous heavy reads, sign-ups, failed sign-ins and posts each stop
exactly at their limit, and whatever is let through beyond it is a 429."""

import http.client
import json
import secrets
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from tests.factories import UserFactory
from tests.worlds import make_idea

from .servers import web_server
from .test_throttles import fresh_loopback

BURST = 40
LIMIT = 10
RATES = {
    name: f"{LIMIT}/hour"
    for name in (
        "HEAVY_READ_RATE",
        "OGC_API_RATE",
        "EXPORT_RATE",
        "COMMENT_RATE",
        "VOTE_RATE",
        "CONTRIBUTION_RATE",
        "SIGNALEMENT_RATE",
    )
} | {"SIGNUP_RATE": f"{LIMIT}/h", "LOGIN_RATE": f"{LIMIT}/h"}


def burst(server, method: str, path: str, *, bodies, headers: dict, source: str) -> Counter:
    """BURST requests released together, each with its own body; their status codes."""
    start = threading.Barrier(BURST)

    def one(body):
        conn = http.client.HTTPConnection(
            server.host, server.port, timeout=60, source_address=(source, 0)
        )
        start.wait()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    with ThreadPoolExecutor(BURST) as pool:
        return Counter(pool.map(one, bodies))


def form(csrf: str, n: int, **fields) -> str:
    return urlencode({"csrfmiddlewaretoken": csrf, **{k: v.format(n=n) for k, v in fields.items()}})


@pytest.fixture(scope="module")
def server(django_db_setup):
    """One server for the module, on the test database (hence after its setup)."""
    with web_server(RATES) as running:
        yield running


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/concertations/nulle-part/contributions/",
        "/api/v1/signalements/reports",
        "/ogc/collections/nulle-part/items",
        "/api/v1/concertations/nulle-part/export",
    ],
    ids=["ideas-list", "signalements-list", "ogc-items", "export"],
)
def test_anonymous_heavy_reads_stop_at_the_limit(server, path):
    statuses = burst(
        server, "GET", path, bodies=[None] * BURST, headers={}, source=fresh_loopback()
    )
    assert statuses[429] == BURST - LIMIT, statuses
    assert sum(statuses.values()) == BURST


@pytest.mark.django_db(transaction=True)
def test_sign_ups_and_failed_sign_ins_from_one_address_stop_at_the_limit(server):
    csrf = secrets.token_hex(16)
    headers = {
        "Cookie": f"csrftoken={csrf}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://{server.host}:{server.port}/",
    }
    signups = burst(
        server,
        "POST",
        "/accounts/signup/",
        bodies=[
            form(
                csrf,
                n,
                email="flot{n}@example.org",
                pseudonym="Flot{n}",
                password1="un mot de passe assez long {n}",
                password2="un mot de passe assez long {n}",
                consent="on",
            )
            for n in range(BURST)
        ],
        headers=headers,
        source=fresh_loopback(),
    )
    wrong = burst(
        server,
        "POST",
        "/accounts/login/",
        bodies=[
            form(csrf, n, login="personne@example.org", password="faux{n}") for n in range(BURST)
        ],
        headers=headers,
        source=fresh_loopback(),
    )
    assert signups[429] == BURST - LIMIT, signups
    assert 500 not in signups
    assert wrong[429] == BURST - LIMIT, wrong


@pytest.mark.django_db(transaction=True)
def test_one_persons_posting_floods_stop_at_the_limit(server, client, small_open_concertation):
    space = small_open_concertation
    idea = make_idea(space, UserFactory())
    client.force_login(UserFactory())
    csrf = secrets.token_hex(16)
    signed_in = {
        "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/json",
    }
    base = f"/api/v1/concertations/{space.slug}/contributions/"
    floods = {
        "ideas": ("POST", base, {"title": ""}),
        "comments": ("POST", f"{base}{idea.pk}/comments/", {"text": "Flot"}),
        "votes": ("PUT", f"{base}{idea.pk}/vote", {"value": 1}),
        "signalements": ("POST", "/api/v1/signalements/reports", {}),
    }
    for name, (method, path, body) in floods.items():
        statuses = burst(
            server,
            method,
            path,
            bodies=[json.dumps(body)] * BURST,
            headers=signed_in,
            source=fresh_loopback(),
        )
        assert statuses[429] == BURST - LIMIT, (name, statuses)
