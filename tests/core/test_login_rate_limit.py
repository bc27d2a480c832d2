# SPDX-License-Identifier: AGPL-3.0-or-later
import uuid

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _attempt(client, ip: str, username: str):
    return client.post("/admin/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


def test_admin_sign_in_is_rate_limited_per_ip(client, settings):
    settings.LOGIN_RATE = "3/m"
    ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    statuses = [
        _attempt(client, ip, f"{uuid.uuid4().hex}@example.org").status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert "Too many requests" in _attempt(client, ip, "x@example.org").json()["detail"]


def test_admin_sign_in_is_rate_limited_per_account(client, settings):
    settings.LOGIN_RATE = "3/m"
    username = f"{uuid.uuid4().hex}@example.org"
    statuses = [_attempt(client, f"10.0.0.{n}", username).status_code for n in range(1, 5)]
    assert statuses == [200, 200, 200, 429]


def test_the_rate_limit_cache_is_shared():
    # django-ratelimit's E003 fires for caches that are not shared between processes.
    call_command("check", fail_level="WARNING")
