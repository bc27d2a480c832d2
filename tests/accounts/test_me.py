# SPDX-License-Identifier: AGPL-3.0-or-later
"""/api/v1/me/ and the preferences page: my pseudonym, my roles, the e-mails I accept."""

import pytest
from django.core.cache import caches
from django.test import Client
from rest_framework.throttling import ScopedRateThrottle

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import notification_choices
from carto_concertation.accounts.services import role_grant
from tests.factories import TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


@pytest.fixture
def me(client):
    user = UserFactory(pseudonym="Camille")
    client.force_login(user)
    return user


def patch(client, data):
    return client.patch(ME, data, content_type="application/json")


def test_anonymous_has_no_me(client):
    assert client.get(ME).status_code == 403
    assert patch(client, {"pseudonym": "Personne"}).status_code == 403


def test_me_tells_pseudonym_roles_and_choices_and_nothing_else(client, me):
    role_grant(user=me, role=Role.MODERATOR, territory=TerritoryFactory())
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json() == {
        "pseudonym": "Camille",
        "roles": ["moderator", "resident"],
        "notifications": {
            "answer": True,
            "reply": True,
            "moderation": True,
            "follow": True,
            "report_updates": True,
            "report_fixed_check": True,
            "budget_project_news": True,
            "crowdfunding_project_news": True,
        },
    }
    assert "no-store" in response["Cache-Control"]


def test_patch_changes_choices_and_pseudonym(client, me):
    response = patch(client, {"notifications": {"reply": False}, "pseudonym": "Camille B"})
    assert response.status_code == 200
    assert response.json()["notifications"] == {
        "answer": True,
        "reply": False,
        "moderation": True,
        "follow": True,
        "report_updates": True,
        "report_fixed_check": True,
        "budget_project_news": True,
        "crowdfunding_project_news": True,
    }
    me.refresh_from_db()
    choices = notification_choices(user=me)
    assert (me.pseudonym, choices["reply"], choices["answer"]) == ("Camille B", False, True)
    # Changing only the case of one's own pseudonym is allowed.
    assert patch(client, {"pseudonym": "camille b"}).status_code == 200


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"pseudonym": "AUTRE"}, "pseudonym", "This pseudonym is already taken."),
        ({"pseudonym": "c@example.org"}, "pseudonym", "must not contain an e-mail address"),
        ({"pseudonym": "x" * 41}, "pseudonym", "no more than 40 characters"),
        ({"roles": ["administrator"]}, "roles", "Unknown or read-only field."),
        ({"notifications": {"newsletter": True}}, "notifications", "Unknown or read-only"),
        ({"notifications": {"reply": "perhaps"}}, "notifications", "Must be a valid boolean."),
        ({"notifications": "none"}, "notifications", "Invalid data"),
    ],
)
def test_bad_patches_are_field_errors_and_change_nothing(client, me, data, field, message):
    UserFactory(pseudonym="Autre")
    response = patch(client, data)
    assert response.status_code == 400
    assert field in response.json()
    assert message in str(response.json()[field])
    me.refresh_from_db()
    assert (me.pseudonym, notification_choices(user=me)["reply"]) == ("Camille", True)
    assert client.get(ME).json()["roles"] == ["resident"]


def test_patch_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    assert patch(client, {"pseudonym": "Sans jeton"}).status_code == 403


def test_patches_are_rate_limited(client, me, monkeypatch):
    # DRF reads its rates and its cache once, at import: point them at this test's.
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "account": "2/hour"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(ScopedRateThrottle, "cache", caches["default"])
    statuses = [patch(client, {"notifications": {"reply": False}}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get(ME).status_code == 200, "reading is not limited by the write rate"


def test_preferences_page_saves_choices(client, me):
    page = client.get("/accounts/preferences/")
    assert page.status_code == 200
    assert '<input type="checkbox" name="reply" id="id_reply" checked>' in page.content.decode()
    response = client.post("/accounts/preferences/", {"pseudonym": "Camille", "answer": "on"})
    assert response.status_code == 302
    choices = notification_choices(user=me)
    assert (choices["answer"], choices["reply"], choices["moderation"]) == (True, False, False)


def test_preferences_page_refuses_a_taken_pseudonym(client, me):
    UserFactory(pseudonym="Autre")
    response = client.post("/accounts/preferences/", {"pseudonym": "autre", "reply": "on"})
    assert response.status_code == 400
    assert response.context["form"].errors["pseudonym"] == ["This pseudonym is already taken."]
    me.refresh_from_db()
    assert (me.pseudonym, notification_choices(user=me)["answer"]) == ("Camille", True)


def test_account_pages_need_a_session(client):
    for path in ("/accounts/", "/accounts/preferences/", "/accounts/data/", "/accounts/delete/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
