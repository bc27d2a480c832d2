# SPDX-License-Identifier: AGPL-3.0-or-later
import uuid

import pytest
from django.test import Client

from tests.worlds import lonlat_in

# The demo's concertation (tests/worlds.py) is a fixture of tests/conftest.py.
__all__ = ["lonlat_in"]


def fresh_ip() -> str:
    n = uuid.uuid4().int
    return f"10.{n % 250}.{n // 250 % 250}.{n // 62500 % 250}"


@pytest.fixture(autouse=True)
def _own_rate_limit_counters(settings):
    """Rate-limit counters live in the shared Redis and survive a test run; each test
    counts under its own cache prefix, so that a rerun never starts over a limit."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def client() -> Client:
    """A browser asking for English (assertions read the English messages), from an
    address of its own."""
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=fresh_ip())


@pytest.fixture
def other_client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=fresh_ip())
