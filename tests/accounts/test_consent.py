# SPDX-License-Identifier: AGPL-3.0-or-later
"""A new version of the privacy notice (settings.CONSENT_VERSION): an account that accepted
an older one, or none, is asked at its next visit, reads the site meanwhile but posts
nothing until it accepts (recorded with the version and the date) or closes its account
(accounts.consent)."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carto_concertation.accounts.consent import ConsentMiddleware
from carto_concertation.accounts.models import ConsentRecord, User
from tests.accounts.test_mfa import person, sign_in, signed_in_as
from tests.factories import ConsentRecordFactory, UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

CURRENT = settings.CONSENT_VERSION
CONSENT = "/accounts/consent/"


def pseudonym_of(user) -> str:
    return User.objects.get(pk=user.pk).pseudonym


def test_a_new_account_records_the_current_version():
    """Sign-up goes through consent_record (tests/accounts/test_signup.py for the pages)."""
    from carto_concertation.accounts.services import user_signup

    user = user_signup(
        user=User(),
        email="nouveau@example.org",
        pseudonym="Nouveau",
        password=PASSWORD,
        consent_version=CURRENT,
    )
    assert User.objects.get(pk=user.pk).consent_version == CURRENT
    assert ConsentRecord.objects.get(user=user).version == CURRENT


def test_an_older_version_is_asked_once_then_reading_only(client):
    resident = person(consent_version="2025-01")
    assert sign_in(client, resident)["Location"] == "/accounts/"
    asked = client.get("/accounts/")
    assert asked.status_code == 302
    assert asked["Location"] == f"{CONSENT}?next=%2Faccounts%2F"
    page = client.get(asked["Location"]).content.decode()
    assert "You accepted version 2025-01" in page and CURRENT in page
    assert 'href="/accounts/privacy/"' in page and 'href="/accounts/delete/"' in page
    assert 'name="csrfmiddlewaretoken"' in page

    # Asked once: then the site reads as before, the notice included.
    assert client.get("/accounts/").status_code == 200
    assert client.get("/donnees/").status_code == 200
    assert 'href="/accounts/consent/"' in client.get("/accounts/privacy/").content.decode()
    assert signed_in_as(client) == resident.pseudonym  # an API read

    # No write: a page's form goes back to the consent page, the API says why.
    form = client.post(
        "/accounts/preferences/",
        {"pseudonym": "Autre nom"},
        HTTP_REFERER="http://testserver/accounts/preferences/",
    )
    assert form.status_code == 303
    assert form["Location"] == f"{CONSENT}?next=%2Faccounts%2Fpreferences%2F"
    api = client.patch("/api/v1/me/", {"pseudonym": "Autre nom"}, content_type="application/json")
    assert api.status_code == 403
    assert api.json()["code"] == "consent_required"
    assert "privacy notice changed" in api.json()["detail"]
    script = client.post("/accounts/preferences/", {}, content_type="application/json")
    assert script.status_code == 403 and script.json()["code"] == "consent_required"
    assert pseudonym_of(resident) == resident.pseudonym


def test_accepting_records_the_version_and_date_then_writes_pass(client):
    resident = person(consent_version="")
    ConsentRecordFactory(user=resident, version="2025-01")
    client.force_login(resident)
    page = client.get(CONSENT).content.decode()
    assert "You have not accepted" in page

    refused = client.post(CONSENT, {"next": "/accounts/preferences/"})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    assert not ConsentRecord.objects.filter(user=resident, version=CURRENT).exists()

    before = timezone.now()
    accepted = client.post(CONSENT, {"accept": "on", "next": "/accounts/preferences/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/accounts/preferences/"
    record = ConsentRecord.objects.get(user=resident, version=CURRENT)
    assert before <= record.accepted_at <= timezone.now()
    assert User.objects.get(pk=resident.pk).consent_version == CURRENT
    assert ConsentRecord.objects.filter(user=resident).count() == 2  # the history kept

    api = client.patch("/api/v1/me/", {"pseudonym": "Autre nom"}, content_type="application/json")
    assert api.status_code == 200 and pseudonym_of(resident) == "Autre nom"
    assert client.get("/accounts/").status_code == 200


def test_the_next_page_stays_on_this_site(client):
    client.force_login(person(consent_version=""))
    accepted = client.post(CONSENT, {"accept": "on", "next": "https://ailleurs.example/"})
    assert accepted["Location"] == "/"


def test_signing_out_and_closing_the_account_stay_open(client, other_client):
    resident = person(consent_version="2025-01")
    client.force_login(resident)
    assert client.post("/accounts/logout/").status_code == 302
    assert signed_in_as(client) is None

    other_client.force_login(resident)
    closed = other_client.post("/accounts/delete/", {"password": PASSWORD})
    assert closed.status_code == 302
    assert not User.objects.filter(pk=resident.pk).exists()


def test_an_account_up_to_date_is_never_asked(client):
    client.force_login(person())
    assert client.get("/accounts/").status_code == 200
    assert client.get(CONSENT).status_code == 200  # says so, and links on
    assert 'href="/accounts/consent/"' not in client.get("/accounts/privacy/").content.decode()


def test_no_query_without_a_session_nor_for_the_map_and_none_for_signed_in_people(client):
    middleware = ConsentMiddleware(lambda request: HttpResponse())
    factory = RequestFactory()
    with CaptureQueriesContext(connection) as queries:
        middleware(factory.get("/concertations/un-espace/"))
        tile = factory.get("/tiles/contributions-un-espace/12/2100/1400.mvt")
        tile.COOKIES[settings.SESSION_COOKIE_NAME] = "anything"
        middleware(tile)
    assert len(queries) == 0

    # Signed in: the comparison is on the user the session loaded (no query of its own).
    seen = {}

    def view(request):
        seen["user"] = request.user.pk
        return HttpResponse()

    resident = person()
    client.force_login(resident)
    request = RequestFactory().post("/api/v1/me/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = client.session.session_key
    chain = SessionMiddleware(AuthenticationMiddleware(MessageMiddleware(ConsentMiddleware(view))))
    with CaptureQueriesContext(connection) as queries:
        chain(request)
    assert seen == {"user": resident.pk}
    # The session, the user: what the authentication reads anyway.
    assert len(queries) == 2, [q["sql"] for q in queries]


def test_the_migration_gives_each_account_its_latest_version():
    migration = importlib.import_module(
        "carto_concertation.accounts.migrations.0009_user_consent_version"
    )
    twice = UserFactory(consent_version="")
    ConsentRecordFactory(
        user=twice, version="2025-01", accepted_at=timezone.now().replace(year=2025)
    )
    ConsentRecordFactory(user=twice, version="2026-12")
    never = UserFactory(consent_version="")
    migration.last_accepted(apps, None)
    assert User.objects.get(pk=twice.pk).consent_version == "2026-12"
    assert User.objects.get(pk=never.pk).consent_version == ""
