# SPDX-License-Identifier: AGPL-3.0-or-later
"""Sign-in attempts are limited per IP and per account, on the shared Redis cache.

Counters live in Redis across test runs: every test uses fresh addresses and accounts.
"""

import uuid

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def fresh_ip() -> str:
    n = uuid.uuid4().int
    return f"10.{n % 250}.{n // 250 % 250}.{n // 62500 % 250}"


def fresh_account() -> str:
    return f"{uuid.uuid4().hex}@example.org"


def attempt(client, ip: str, username: str):
    return client.post("/admin/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


def test_admin_sign_in_is_rate_limited_per_ip(client, settings):
    settings.LOGIN_RATE = "3/h"  # an hour-long window: no reset mid-test
    ip = fresh_ip()
    statuses = [attempt(client, ip, fresh_account()).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Trop de requêtes" in attempt(client, ip, fresh_account()).json()["detail"]


def test_admin_sign_in_is_rate_limited_per_account(client, settings):
    settings.LOGIN_RATE = "3/h"  # an hour-long window: no reset mid-test
    account = fresh_account()
    statuses = [attempt(client, fresh_ip(), account).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_rate_limit_cache_is_shared():
    # django-ratelimit's E003 fires for caches that are not shared between processes.
    call_command("check", fail_level="WARNING")
