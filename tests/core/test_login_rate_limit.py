# SPDX-License-Identifier: AGPL-3.0-or-later
"""Sign-in attempts are limited per address and per account from an address, on Redis:
beyond the limit a 429, and a flood from one address locks that address out, not the
account for everyone else. Every test signs in from addresses and accounts of its own."""

import uuid

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # UserFactory's
WRONG = "a wrong guess"


def fresh_ip() -> str:
    n = uuid.uuid4().int
    return f"10.{n % 250}.{n // 250 % 250}.{n // 62500 % 250}"


def fresh_account() -> str:
    return f"{uuid.uuid4().hex}@example.org"


def admin_sign_in(client, ip: str, username: str, password: str = WRONG):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def resident_sign_in(ip: str, email: str, password: str = WRONG):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"login": email, "password": password})
    return client, response


def resident(email: str):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def test_admin_sign_in_is_rate_limited_per_ip(client, settings):
    settings.LOGIN_RATE = "3/h"  # an hour-long window: no reset mid-test
    ip = fresh_ip()
    statuses = [admin_sign_in(client, ip, fresh_account()).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Trop de requêtes" in admin_sign_in(client, ip, fresh_account()).json()["detail"]


def test_a_flood_from_one_address_leaves_the_admin_account_usable_elsewhere(client, settings):
    settings.LOGIN_RATE = "3/h"
    admin = UserFactory(email=fresh_account(), is_staff=True, is_superuser=True)
    flooding = fresh_ip()
    statuses = [admin_sign_in(client, flooding, admin.email).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert admin_sign_in(client, flooding, admin.email, PASSWORD).status_code == 429
    elsewhere = Client()
    response = admin_sign_in(elsewhere, fresh_ip(), admin.email, PASSWORD)
    assert response.status_code == 302, "the right password from another address signs in"
    # The password let in; the second factor comes next (this account has no app yet).
    assert elsewhere.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


def test_resident_sign_in_answers_429_beyond_its_limit(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,3/m/key"}  # fewer slow hashes
    ip, email = fresh_ip(), fresh_account()
    resident(email)
    statuses = [resident_sign_in(ip, email)[1].status_code for _ in range(3)]
    assert statuses == [400, 400, 400]
    client, response = resident_sign_in(ip, email, PASSWORD)
    assert response.status_code == 429
    # The page itself says why, next to the form, in the person's language.
    assert "Too many failed login attempts" in response.content.decode()
    assert '<form method="post"' in response.content.decode()
    assert client.get("/api/v1/me/").status_code == 403


def test_a_flood_from_one_address_leaves_the_resident_account_usable_elsewhere(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,3/m/key"}
    email, flooding = fresh_account(), fresh_ip()
    resident(email)
    for _ in range(3):
        resident_sign_in(flooding, email)
    assert resident_sign_in(flooding, email, PASSWORD)[1].status_code == 429
    client, response = resident_sign_in(fresh_ip(), email, PASSWORD)
    assert response.status_code == 302
    assert client.get("/api/v1/me/").status_code == 200


def test_failed_sign_ins_on_many_accounts_from_one_address_are_limited(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,3/m/key"}
    ip = fresh_ip()
    statuses = [resident_sign_in(ip, fresh_account())[1].status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_the_rate_limit_cache_is_shared():
    # django-ratelimit's E003 fires for caches that are not shared between processes.
    call_command("check", fail_level="WARNING")
