# SPDX-License-Identifier: AGPL-3.0-or-later
"""An "under study" answer keeps its text for residents and the bilan; the forms
without JavaScript (the list of the concertation page, the planners' dashboard) take a
"Tous…" choice left empty as no filter, and say what is wrong in French."""

import pytest

from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.moderation import contribution_answer
from carto_concertation.contributions.planning.bilan import bilan_html
from tests.factories import UserFactory

from .conftest import make_idea, url

pytestmark = pytest.mark.django_db

STUDY = "Le service voirie mesure le trafic & revient vers vous en juin."


@pytest.fixture
def studied(client, open_concertation, planner):
    idea = make_idea(open_concertation, UserFactory(), title="Un passage piéton")
    client.force_login(planner)
    response = client.post(
        url(open_concertation, "answer", idea.pk),
        {"status": "under_study", "answer": STUDY, "answer_service": "Service voirie"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    client.logout()
    return idea


def test_an_under_study_answer_is_kept_and_shown(client, open_concertation, studied):
    studied.refresh_from_db()
    assert (studied.status, studied.answer, studied.answer_service) == (
        "under_study",
        STUDY,
        "Service voirie",
    )
    properties = client.get(url(open_concertation, pk=studied.pk)).json()["properties"]
    assert (properties["answer"], properties["answer_service"]) == (STUDY, "Service voirie")
    page = client.get(f"/concertations/{open_concertation.slug}/").content.decode()
    assert "Le service voirie mesure le trafic &amp; revient vers vous en juin." in page
    html, _maps, _listed = bilan_html(concertation=open_concertation, progress=lambda *_: None)
    assert "Le service voirie mesure le trafic &amp; revient vers vous en juin." in html
    assert "No answer yet." not in html


def test_a_later_closing_answer_replaces_it(open_concertation, studied, planner):
    closed = contribution_answer(
        contribution=studied,
        actor=planner,
        status="retained",
        answer="Le passage sera peint.",
        answer_service="Service voirie",
    )
    assert closed.answer == "Le passage sera peint."


EMPTY_CHOICES = "theme=&status=&ordering=recent"


def test_the_list_form_left_on_every_choice_lists_everything(client, open_concertation):
    make_idea(open_concertation, UserFactory(), title="Première")
    make_idea(open_concertation, UserFactory(), title="Seconde", libelle="A")
    response = client.get(f"/concertations/{open_concertation.slug}/?{EMPTY_CHOICES}")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
    api = client.get(url(open_concertation) + "?status=&theme=")
    assert (api.status_code, api.json()["count"]) == (200, 2)


@pytest.mark.french
def test_a_bad_list_choice_is_explained_in_french(client, open_concertation):
    response = client.get(f"/concertations/{open_concertation.slug}/?status=perdu&theme=abc")
    assert response.status_code == 400
    html = response.content.decode()
    assert "État : Sélectionnez un choix valide. perdu n’en fait pas partie." in html
    assert "Thème : Saisissez un nombre." in html
    assert "status :" not in html


@pytest.fixture
def planner_client(client, open_concertation, planner):  # the world first, then its planner
    client.force_login(planner)
    return client


def dashboard(concertation) -> str:
    return f"/concertations/{concertation.slug}/tableau-de-bord/"


def test_the_dashboard_left_on_every_choice_counts_everything(planner_client, open_concertation):
    make_idea(open_concertation, UserFactory())
    query = "phase=&created_after=&created_before=&theme=&channel=&status="
    response = planner_client.get(f"{dashboard(open_concertation)}?{query}")
    assert response.status_code == 200, response.content.decode()[-2000:]
    assert (
        response.context["figures"]["total"]
        == Contribution.objects.filter(concertation=open_concertation).count()
    )


@pytest.mark.french
def test_a_bad_dashboard_choice_is_explained_in_french(planner_client, open_concertation):
    for query, message in (
        ("channel=fax", "Canal : Sélectionnez un choix valide. fax n’en fait pas partie."),
        ("theme=999999", "Thème : Pas de thème 999999 dans cette concertation."),
    ):
        response = planner_client.get(f"{dashboard(open_concertation)}?{query}")
        assert response.status_code == 400
        assert message in response.content.decode()
