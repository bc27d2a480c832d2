# SPDX-License-Identifier: AGPL-3.0-or-later
"""The administrators issue the Open311 keys: the key is shown once, only its SHA-256 is
kept, and a new key stops the old one."""

import hashlib
import re

import pytest
from django.contrib.messages import get_messages

from carto_concertation.signalements.models import ApiClient
from carto_concertation.signalements.open311.keys import api_client_for_key
from tests.factories import UserFactory
from tests.factories.signalements import ApiClientFactory

from .submit_world import world_fixture  # noqa: F401 (the ``world`` fixture)

pytestmark = pytest.mark.django_db

KEY = re.compile(r": ([-\w]{43}) — ")


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def shown_key(response) -> str:
    (key,) = [
        found.group(1)
        for message in get_messages(response.wsgi_request)
        if (found := KEY.search(str(message)))
    ]
    return key


def test_an_administrator_issues_a_key_seen_once_and_kept_as_its_digest(client, superuser, world):
    client.force_login(superuser)
    response = client.post(
        "/admin/signalements/apiclient/add/",
        {
            "territory": world.territory.pk,
            "name": "Appli du quartier",
            "contact": "",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    key = shown_key(response)
    application = ApiClient.objects.get()
    assert application.key_digest == hashlib.sha256(key.encode()).hexdigest()
    assert api_client_for_key(territory=world.territory, key=key) == application
    change = f"/admin/signalements/apiclient/{application.pk}/change/"
    assert key in client.get(change).content.decode()  # the page after, once
    page = client.get(change).content.decode()
    assert key not in page
    assert application.key_digest not in page


def test_a_new_key_stops_the_old_one(client, superuser, world):
    application = ApiClientFactory(territory=world.territory, name="appli")
    client.force_login(superuser)
    response = client.post(
        "/admin/signalements/apiclient/",
        {"action": "rekey", "_selected_action": [application.pk]},
    )
    key = shown_key(response)
    assert api_client_for_key(territory=world.territory, key="cle-appli") is None
    assert api_client_for_key(territory=world.territory, key=key) == application
