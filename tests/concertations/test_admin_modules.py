# SPDX-License-Identifier: AGPL-3.0-or-later
"""The admin: a concertation lists its modules (inline, in French); the ideas' settings
have a page of their own and are saved through the ideas' service."""

import pytest

from carto_concertation.contributions.models import IdeasSettings
from tests.factories import ConcertationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.french]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_concertation_s_page_lists_its_modules_and_the_settings_are_edited_apart(
    admin_client,
):
    concertation = ConcertationFactory()
    page = admin_client.get(f"/admin/concertations/concertation/{concertation.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Modules de la concertation" in html and "Idées sur la carte" in html
    assert 'name="vote_mode"' not in html  # the ideas' settings are no longer the space's
    assert admin_client.get("/admin/concertations/concertation/add/").status_code == 200

    settings = IdeasSettings.objects.get(space_module__concertation=concertation)
    url = f"/admin/contributions/ideassettings/{settings.pk}/change/"
    assert admin_client.get(url).status_code == 200
    form = {
        "accepted_geometries": ["point", "area"],
        "moderation": "before",
        "vote_mode": "rating",
        "duplicate_distance_m": "90",
    }
    assert admin_client.post(url, form).status_code == 302
    settings.refresh_from_db()
    assert (settings.accepted_geometries, settings.moderation, settings.vote_mode) == (
        ["point", "area"],
        "before",
        "rating",
    )
    refused = admin_client.post(url, {**form, "accepted_geometries": ""})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
