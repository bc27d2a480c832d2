# SPDX-License-Identifier: AGPL-3.0-or-later
"""Staff sessions end after STAFF_SESSION_IDLE_TIMEOUT without a request, saying so in
French on the sign-in page; residents' do not. The last activity is kept in the session
and written once a minute at most."""

import time

import pytest
from django.test import Client

from carto_concertation.accounts.middleware import LAST_ACTIVITY
from carto_concertation.accounts.models import Role
from tests.factories import RoleAssignmentFactory, UserFactory

from .conftest import fresh_ip

pytestmark = pytest.mark.django_db


def idle_for(client, seconds: int) -> None:
    """The session's last request ``seconds`` ago."""
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - seconds
    session.save()


def last_activity(client) -> int:
    return client.session[LAST_ACTIVITY]


def signed_in_as(client):
    return client.get("/api/v1/me/").json().get("pseudonym")


@pytest.fixture
def moderator():
    return RoleAssignmentFactory(role=Role.MODERATOR).user


@pytest.mark.french
def test_an_idle_staff_session_ends_with_a_french_message_on_the_sign_in_page(moderator, settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 600
    client = Client(REMOTE_ADDR=fresh_ip())
    client.force_login(moderator)
    assert client.get("/accounts/").status_code == 200
    idle_for(client, 599)
    assert client.get("/accounts/").status_code == 200
    idle_for(client, 601)
    ended = client.get("/moderation/")
    assert ended.status_code == 302
    assert ended["Location"] == "/accounts/login/?next=%2Fmoderation%2F"
    page = client.get(ended["Location"]).content.decode()
    assert "Votre session a pris fin après 10 minutes sans activité" in page
    assert signed_in_as(client) is None


def test_a_write_after_the_idle_time_is_refused(moderator):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=fresh_ip())
    client.force_login(moderator)
    client.get("/accounts/")
    idle_for(client, 1801)  # the default: half an hour
    refused = client.post("/accounts/preferences/", {"pseudonym": "Autre nom"})
    assert refused.status_code == 403 and "without activity" in refused.json()["detail"]
    moderator.refresh_from_db()
    assert moderator.pseudonym != "Autre nom"


def test_a_residents_session_does_not_end(client):
    resident = UserFactory()
    client.force_login(resident)
    idle_for(client, 10 * 86400)
    assert signed_in_as(client) == resident.pseudonym


def test_the_activity_is_written_once_a_minute_at_most(moderator):
    client = Client(REMOTE_ADDR=fresh_ip())
    client.force_login(moderator)
    client.get("/accounts/")
    first = last_activity(client)
    assert abs(first - time.time()) < 5
    idle_for(client, 30)
    written = last_activity(client)
    client.get("/accounts/")
    assert last_activity(client) == written  # within the minute: the session is not written
    idle_for(client, 90)
    client.get("/accounts/")
    assert abs(last_activity(client) - time.time()) < 5
