# SPDX-License-Identifier: AGPL-3.0-or-later
"""`make test` beside `make run`: the tests count on a Redis database of their own."""

import pytest
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from .servers import web_server

LAYERS = "/api/v1/layers/"


@pytest.mark.django_db(transaction=True)
def test_a_busy_live_server_s_counters_do_not_reach_the_tests(client, monkeypatch):
    """A server of `make run` (the project's settings, the developer's REDIS_URL) has
    used up its anonymous limit for 127.0.0.1; a test from 127.0.0.1 is not limited."""
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "5/minute")
    cache.delete(SimpleRateThrottle.cache_format % {"scope": "anon", "ident": "127.0.0.1"})
    live = {"DJANGO_SETTINGS_MODULE": "carto_concertation.settings", "API_RATE_ANON": "5/minute"}
    with web_server(live) as server:
        statuses = [server.request("GET", LAYERS).status for _ in range(7)]
    assert statuses[-2:] == [429, 429], "the live server's limit is used up"
    assert client.get(LAYERS, REMOTE_ADDR="127.0.0.1").status_code == 200
