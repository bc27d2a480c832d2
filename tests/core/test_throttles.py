# SPDX-License-Identifier: AGPL-3.0-or-later
"""The API's rate limits hold: under a burst, behind a proxy, in every view."""

import secrets
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from carto_concertation.core.throttles import AtomicRateThrottle
from tests.factories import UserFactory

from .servers import web_server

BURST = 60
LIMIT = 30


def fresh_loopback() -> str:
    """A loopback address of its own: no other test's requests count with this one's."""
    n = uuid.uuid4().int
    return f"127.{n % 250 + 2}.{n // 250 % 250}.{n // 62500 % 250 + 1}"


def burst(server, method: str, path: str, *, headers: dict, source: str) -> Counter:
    """BURST requests released together from as many threads; their status codes."""
    start = threading.Barrier(BURST)

    def one(_):
        start.wait()
        return server.request(method, path, headers=headers, source=source).status

    with ThreadPoolExecutor(BURST) as pool:
        return Counter(pool.map(one, range(BURST)))


@pytest.mark.django_db(transaction=True)
def test_a_burst_lands_exactly_at_the_limit(client):
    """60 simultaneous posts of one person, 60 simultaneous reads of one address, on two
    server processes: exactly the limit goes through each time (DRF's own throttles let
    33 of 60 posts through a limit of 30)."""
    person = UserFactory()
    client.force_login(person)
    csrf = secrets.token_hex(16)
    signed_in = {
        "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/json",
    }
    rates = {"CONTRIBUTION_RATE": f"{LIMIT}/hour", "API_RATE_ANON": f"{LIMIT}/minute"}
    with web_server(rates) as server:
        # The throttle runs before the view: an empty post counts, and the view answers
        # 400 to those let through.
        posts = burst(
            server,
            "POST",
            "/api/v1/concertations/nulle-part/contributions/",
            headers=signed_in,
            source=fresh_loopback(),
        )
        reads = burst(server, "GET", "/api/v1/layers/", headers={}, source=fresh_loopback())
    assert posts == {400: LIMIT, 429: BURST - LIMIT}
    assert reads == {200: LIMIT, 429: BURST - LIMIT}


@pytest.mark.django_db(transaction=True)
def test_x_forwarded_for_counts_only_from_the_trusted_proxy():
    """The proxy (FORWARDED_ALLOW_IPS) names the client; anyone else who sends the header
    is counted by the address they connect from, whatever address they claim."""
    with web_server({"API_RATE_ANON": "3/minute", "FORWARDED_ALLOW_IPS": "127.0.0.1"}) as server:
        untrusted = fresh_loopback()
        claimed = [
            server.request(
                "GET",
                "/api/v1/layers/",
                headers={"X-Forwarded-For": fresh_loopback().replace("127.", "10.", 1)},
                source=untrusted,
            ).status
            for _ in range(5)
        ]
        # Through the proxy, five clients: five addresses, none limited.
        forwarded = [
            server.request(
                "GET",
                "/api/v1/layers/",
                headers={"X-Forwarded-For": fresh_loopback().replace("127.", "10.", 1)},
                source="127.0.0.1",
            ).status
            for _ in range(5)
        ]
    assert claimed == [200, 200, 200, 429, 429]
    assert forwarded == [200] * 5


def _patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern


def test_every_api_throttle_is_atomic():
    """Each method of each API view is limited by the atomic throttles only (a view that
    sets DRF's own classes would let bursts through again)."""
    factory = APIRequestFactory()
    checked = 0
    for pattern in _patterns(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "cls", None)
        if view_class is None or not issubclass(view_class, APIView):
            continue
        actions = getattr(pattern.callback, "actions", None) or {}
        methods = list(actions) or [
            m for m in view_class.http_method_names if m != "options" and hasattr(view_class, m)
        ]
        for method in methods:
            view = view_class()
            view.request = Request(getattr(factory, method)("/"))
            view.kwargs, view.args, view.format_kwarg = {}, (), None
            view.action = actions.get(method)
            throttles = view.get_throttles()
            assert throttles, f"{pattern.pattern} {method}: no rate limit"
            for throttle in throttles:
                assert isinstance(throttle, AtomicRateThrottle), (
                    f"{pattern.pattern} {method}: {type(throttle).__module__}."
                    f"{type(throttle).__name__}"
                )
            checked += 1
    assert checked > 30
