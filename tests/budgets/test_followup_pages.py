# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up's pages without JavaScript, in French as a resident reads them: the
achievements (map and list twin, GET filters), a winner's follow-up (news, follow
button) and the agents' page (forms)."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from carto_concertation.budgets.models import ProjectFollower, ProjectUpdate
from tests.factories.budgets import ProjectUpdateFactory

from .followup_world import jpeg_upload, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

ACHIEVEMENTS = "/budgets/realisations/"


def followup_url(project) -> str:
    return f"/budgets/{project.edition.slug}/projets/{project.number}/suivi/"


def agent_url(edition) -> str:
    return f"/budgets/gestion/{edition.slug}/suivi/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(html: str) -> list[str]:
    """The list twin's rows, as text."""
    body = html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in body.split("</tr>")[:-1]
    ]


def test_the_achievements_list_and_map_with_filters(world):
    world.winner.realisation = "works"
    world.winner.progress = 45
    world.winner.save()
    ProjectUpdateFactory(project=world.winner, date=timezone.localdate(), author=world.planner)
    html = Client().get(ACHIEVEMENTS).content.decode()
    listed = rows(html)
    assert len(listed) == 2
    assert any(
        "Verger partagé" in row and "Travaux en cours" in row and "45 %" in row for row in listed
    )
    assert any("Abri vélos" in row and "À l’étude" in row for row in listed)
    assert "Skate-park" not in html, "a project that did not win is no achievement"
    assert html.count("<circle cx=") == 2 + 4, "a dot per winner, and the legend's four"
    assert 'data-realisation="works"' in html
    filtered = Client().get(ACHIEVEMENTS, {"realisation": "works"}).content.decode()
    assert [r for r in rows(filtered) if "Verger" in r] and len(rows(filtered)) == 1
    by_edition = Client().get(ACHIEVEMENTS, {"edition": world.edition.slug}).content.decode()
    assert len(rows(by_edition)) == 2
    assert Client().get(ACHIEVEMENTS, {"realisation": "soon"}).status_code == 400


def test_a_winners_page_shows_its_news_and_follows_by_a_form(world):
    ProjectUpdateFactory(
        project=world.winner, text="Plantation samedi.", photo=jpeg_upload(), realisation="works"
    )
    html = Client().get(followup_url(world.winner)).content.decode()
    assert "Plantation samedi." in html
    assert re.search(r'<img src="/budgets/[^"]+/suivi/photos/\d+"', html)
    assert 'name="action" value="follow"' in html
    # Signed out, the button leads to the sign-in.
    response = Client().post(followup_url(world.winner), {"action": "follow"})
    assert response.status_code == 302 and "login" in response["Location"]
    client = signed_in(world.resident)
    response = client.post(followup_url(world.winner), {"action": "follow"}, follow=True)
    assert ProjectFollower.objects.filter(project=world.winner, user=world.resident).exists()
    assert 'name="action" value="unfollow"' in response.content.decode()
    client.post(followup_url(world.winner), {"action": "unfollow"})
    assert not ProjectFollower.objects.exists()
    assert Client().get(followup_url(world.loser)).status_code == 404


def test_the_agents_set_the_realisation_and_publish_a_news(world):
    client = signed_in(world.planner)
    page = client.get(agent_url(world.edition))
    assert page.status_code == 200
    assert "Verger partagé" in page.content.decode() and "Skate-park" not in page.content.decode()
    prefix = f"n{world.winner.number}"
    response = client.post(
        agent_url(world.edition),
        {
            "project": world.winner.number,
            "action": "news",
            f"{prefix}-date": timezone.localdate().isoformat(),
            f"{prefix}-text": "Le chantier commence.",
            f"{prefix}-photo": jpeg_upload(),
            f"{prefix}-realisation": "works",
            f"{prefix}-progress": "10",
        },
    )
    assert response.status_code == 302
    update = ProjectUpdate.objects.get()
    assert update.photo and update.author == world.planner
    prefix = f"r{world.winner.number}"
    response = client.post(
        agent_url(world.edition),
        {
            "project": world.winner.number,
            "action": "realisation",
            f"{prefix}-realisation": "abandoned",
        },
    )
    assert response.status_code == 400
    assert "Indiquez publiquement pourquoi le projet est abandonné." in response.content.decode()
    response = client.post(
        agent_url(world.edition),
        {
            "project": world.winner.number,
            "action": "realisation",
            f"{prefix}-realisation": "works",
            f"{prefix}-progress": "140",
        },
    )
    assert response.status_code == 400
    world.winner.refresh_from_db()
    assert (world.winner.realisation, world.winner.progress) == ("works", 10)


def test_a_resident_may_not_reach_the_agents_page(world):
    assert signed_in(world.resident).get(agent_url(world.edition)).status_code == 403
    assert Client().get(agent_url(world.edition)).status_code == 302
    response = signed_in(world.resident).post(
        agent_url(world.edition),
        {
            "project": world.winner.number,
            "action": "realisation",
            f"r{world.winner.number}-realisation": "done",
        },
    )
    assert response.status_code == 403
    world.winner.refresh_from_db()
    assert world.winner.realisation == ""


@pytest.mark.french
def test_the_achievements_page_speaks_french(world):
    html = Client().get(ACHIEVEMENTS, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Réalisations du budget participatif" in html
    assert "À l’étude" in html, "the list says where each winner stands"
    assert "Dernière actualité" in html and "Avancement" in html
