# SPDX-License-Identifier: AGPL-3.0-or-later
"""The residents' pages (served in French, the default language) without JavaScript: the editions, an edition with its rules,
phases, districts and the list twin of the map (filtered by GET), a project (support
it), proposing a project by coordinates or district, and text escaped exactly once."""

import pytest
from django.utils import translation

from carto_concertation.budgets.models import Project, ProjectSupporter
from tests.factories.budgets import EditionFactory, ProjectFactory

from .projects_world import OUTSIDE, inside, photo, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_editions_current_first_and_never_an_unpublished_one(client):
    old = EditionFactory(year=2025, title="Budget 2025")
    current = EditionFactory(year=2024, phases="vote", title="Budget en cours")
    EditionFactory(is_published=False, title="Brouillon")
    page = client.get("/budgets/").content.decode()
    assert page.index("Budget en cours") < page.index("Budget 2025")
    assert "Brouillon" not in page
    assert f'href="/budgets/{current.slug}/"' in page and f'href="/budgets/{old.slug}/"' in page


def test_an_edition_page_with_its_rules_phases_districts_and_list(client, world):
    ProjectFactory(edition=world.edition, number=1, title="Bancs", status=Project.Status.PROPOSED)
    ProjectFactory(
        edition=world.edition,
        number=2,
        title="Préau",
        district=world.second,
        estimated_cost=30_000,
        revised_cost=32_000,
        status=Project.Status.NOT_ADMISSIBLE,
    )
    response = client.get(f"/budgets/{world.edition.slug}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "est de 100\u202f000 €." in page
    assert 'aria-current="step"' in page and "ouverte en ce moment" in page
    assert " au " in page.split('id="phases"')[1].split("</ol>")[0]
    assert world.first.name in page and world.second.name in page
    assert f'href="/budgets/{world.edition.slug}/proposer/"' in page
    assert 'id="project-list"' in page and "Bancs" in page and "32000 €" in page
    assert "Non recevable" in page
    assert 'id="status-legend"' in page
    assert 'id="budgets-config"' in page


def test_the_list_twin_filters_by_status_and_district_without_javascript(client, world):
    ProjectFactory(edition=world.edition, number=1, title="Bancs", status=Project.Status.PROPOSED)
    ProjectFactory(
        edition=world.edition,
        number=2,
        title="Préau",
        district=world.second,
        status=Project.Status.WINNER,
    )
    url = f"/budgets/{world.edition.slug}/"
    winners = client.get(url, {"statut": "winner"}).content.decode()
    assert "Préau" in winners and "Bancs" not in winners
    assert 'value="winner" checked' in winners
    first = client.get(url, {"quartier": world.first.pk}).content.decode()
    assert "Bancs" in first and "Préau" not in first
    assert client.get(url, {"statut": "lost"}).status_code == 400
    assert client.get("/budgets/nothing/").status_code == 404
    hidden = EditionFactory(is_published=False)
    assert client.get(f"/budgets/{hidden.slug}/").status_code == 404


def test_text_is_escaped_once(client, world):
    ProjectFactory(
        edition=world.edition,
        number=1,
        title="<b>Fêtes & jeux</b>",
        description="Tom & Jerry <script>",
        status=Project.Status.PROPOSED,
    )
    edition_page = client.get(f"/budgets/{world.edition.slug}/").content.decode()
    assert "&lt;b&gt;Fêtes &amp; jeux&lt;/b&gt;" in edition_page
    assert "&amp;amp;" not in edition_page and "<b>Fêtes" not in edition_page
    project_page = client.get(f"/budgets/{world.edition.slug}/projets/1/").content.decode()
    assert "Tom &amp; Jerry &lt;script&gt;" in project_page
    assert "&amp;amp;" not in project_page


def test_a_project_page_and_supporting_it_by_the_form(client, world):
    ProjectFactory(
        edition=world.edition,
        number=1,
        status=Project.Status.NOT_ADMISSIBLE,
        analysis_reason="Hors compétence communale.",
    )
    ProjectFactory(edition=world.edition, number=2, status=Project.Status.PROPOSED)
    url = f"/budgets/{world.edition.slug}/projets/2/"
    refused = client.get(f"/budgets/{world.edition.slug}/projets/1/").content.decode()
    assert "Hors compétence communale." in refused and "support-button" not in refused
    anonymous = client.get(url).content.decode()
    assert "Connectez-vous pour soutenir ce projet" in anonymous
    assert client.post(url, {"action": "support"}).status_code == 302
    assert not ProjectSupporter.objects.exists()

    client.force_login(world.other)
    assert client.post(url, {"action": "support"}).status_code == 302
    page = client.get(url).content.decode()
    assert "1 soutien" in page and "Retirer mon soutien" in page
    client.post(url, {"action": "support"})
    assert ProjectSupporter.objects.count() == 1
    client.post(url, {"action": "withdraw"})
    assert not ProjectSupporter.objects.exists()
    assert client.get(f"/budgets/{world.edition.slug}/projets/9/").status_code == 404


def test_proposing_a_project_by_its_coordinates_without_javascript(client, world):
    url = f"/budgets/{world.edition.slug}/proposer/"
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(world.resident)
    form = client.get(url).content.decode()
    assert 'name="longitude"' in form and 'name="district"' in form
    place = inside(world.second)
    sent = client.post(
        url,
        {
            "title": "Un verger",
            "description": "Des pommiers.",
            "estimated_cost": "8000",
            "longitude": f"{place.x:.6f}",
            "latitude": f"{place.y:.6f}",
            "photos": [photo()],
        },
    )
    assert sent.status_code == 302
    project = Project.objects.get()
    assert sent["Location"] == f"/budgets/{world.edition.slug}/proposer/merci/1/"
    assert project.district == world.second and project.photos.count() == 1
    thanks = client.get(sent["Location"]).content.decode()
    assert "Un verger" in thanks and f"/budgets/{world.edition.slug}/projets/1/" in thanks


def test_proposing_by_district_and_the_refusals_shown_under_their_field(client, world):
    url = f"/budgets/{world.edition.slug}/proposer/"
    client.force_login(world.resident)
    base = {"title": "Un banc", "description": "Pour se reposer.", "estimated_cost": "500"}
    outside = client.post(url, {**base, "longitude": OUTSIDE.x, "latitude": OUTSIDE.y})
    assert outside.status_code == 400
    assert "Placez le projet à l" in outside.content.decode()
    nowhere = client.post(url, base)
    assert nowhere.status_code == 400
    assert not Project.objects.exists()
    sent = client.post(url, {**base, "district": world.first.pk})
    assert sent.status_code == 302
    assert Project.objects.get().district == world.first


def test_the_form_is_closed_outside_the_submission_phase(client):
    edition = EditionFactory(districts=2, phases="vote")
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(f"/budgets/{edition.slug}/proposer/")
    assert response.status_code == 403 and 'id="closed"' in response.content.decode()


@pytest.mark.french
def test_the_edition_page_speaks_french(client, world):
    with translation.override("fr"):
        page = client.get(f"/budgets/{world.edition.slug}/").content.decode()
    assert "Proposer un projet" in page and "Les projets" in page


def test_the_form_keeps_to_the_api_s_rate_limit(client, world, monkeypatch):
    from rest_framework import throttling

    rates = {**throttling.SimpleRateThrottle.THROTTLE_RATES, "contribution_write": "1/hour"}
    monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", rates)
    client.force_login(world.resident)
    url = f"/budgets/{world.edition.slug}/proposer/"
    data = {
        "title": "Un banc",
        "description": "Pour se reposer.",
        "estimated_cost": "500",
        "district": world.first.pk,
    }
    assert client.post(url, data).status_code == 302
    refused = client.post(url, {**data, "title": "Un autre banc"})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert Project.objects.count() == 1
