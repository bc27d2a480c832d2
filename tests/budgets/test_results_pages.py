# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results' pages without JavaScript, through the client in the default language
(French): the planner counts from a form, follows the job, compares the counts and
publishes one; the public reads the method and the reasons. Refusals write nothing."""

import re

import pytest

from carto_concertation.budgets.models import Project, ResultRun
from carto_concertation.budgets.tasks import budget_results_task
from carto_concertation.budgets.views.results_text import reason_text

from .results_world import results_world

pytestmark = pytest.mark.django_db


def manage(slug: str, action: str = "") -> str:
    return f"/budgets/gestion/{slug}/resultats/{action}"


def test_the_planner_counts_compares_and_publishes_from_the_page(client):
    world = results_world()
    slug = world.edition.slug
    client.force_login(world.planner)
    page = client.get(manage(slug))
    assert page.status_code == 200
    assert 'name="rule"' in page.content.decode()
    assert "Aucun dépouillement pour l’instant." in page.content.decode()

    for rule in ("greedy", "knapsack"):
        response = client.post(manage(slug, "calculer/"), {"rule": rule, "satisfaction": "cost"})
        assert response.status_code == 302
        assert response["Location"] == manage(slug)
    html = client.get(manage(slug)).content.decode()
    # Not counted yet (no worker here): the progress and the no-JS refresh link.
    assert 'id="results-refresh"' in html
    assert html.count("<progress") == 2
    # The page's module follows both jobs through the runs API, then reloads.
    assert "budgets/results-manage.js" in html
    assert f"/api/v1/budgets/editions/{slug}/results/runs" in html

    for run in ResultRun.objects.all():
        budget_results_task(str(run.job_id))
    html = client.get(manage(slug)).content.decode()
    assert "<progress" not in html
    assert "results-manage.js" not in html
    assert html.count('class="results-run"') == 2
    assert html.count("Publier ces résultats") == 2
    greedy = ResultRun.objects.get(rule="greedy")

    response = client.post(manage(slug, "publier/"), {"runs": [greedy.pk]})
    assert response.status_code == 302
    assert Project.objects.get(number=3, edition=world.edition).status == "not_selected"
    assert Project.objects.get(number=4, edition=world.edition).status == "winner"
    assert client.get(manage(slug)).content.decode().count("Publier ces résultats") == 1


def test_counting_before_the_vote_closed_shows_why(client):
    world = results_world(close=False)
    client.force_login(world.planner)
    response = client.post(manage(world.edition.slug, "calculer/"), {"rule": "greedy"})
    assert response.status_code == 400
    assert "Le vote n’est pas encore clos" in response.content.decode()
    assert not ResultRun.objects.exists()


def test_a_resident_may_not_reach_the_agents_page(client):
    world = results_world()
    client.force_login(world.resident)
    assert client.get(manage(world.edition.slug)).status_code == 403
    response = client.post(manage(world.edition.slug, "calculer/"), {"rule": "greedy"})
    assert response.status_code == 403
    assert not ResultRun.objects.exists()
    client.logout()
    assert client.get(manage(world.edition.slug)).status_code == 302


def test_publishing_a_run_of_another_edition_from_the_page_is_refused(client):
    world = results_world()
    other = results_world()
    client.force_login(other.planner)
    client.post(manage(other.edition.slug, "calculer/"), {"rule": "greedy"})
    run = ResultRun.objects.get()
    budget_results_task(str(run.job_id))
    client.force_login(world.planner)
    response = client.post(manage(world.edition.slug, "publier/"), {"runs": [run.pk]})
    assert response.status_code == 400
    assert not ResultRun.objects.filter(is_published=True).exists()


def test_the_public_page_before_publication(client):
    world = results_world()
    page = client.get(f"/budgets/{world.edition.slug}/resultats/")
    assert page.status_code == 200
    assert "Les résultats ne sont pas encore publiés." in page.content.decode()


@pytest.mark.french
def test_the_public_page_says_why_in_french(client):
    world = results_world()
    client.force_login(world.planner)
    client.post(manage(world.edition.slug, "calculer/"), {"rule": "greedy"})
    run = ResultRun.objects.get()
    budget_results_task(str(run.job_id))
    client.post(manage(world.edition.slug, "publier/"), {"runs": [run.pk]})
    client.logout()

    html = client.get(f"/budgets/{world.edition.slug}/resultats/").content.decode()
    assert "le plus voté d’abord" in html
    assert re.search(
        r"N’entrait plus dans l’enveloppe restante \(10.000\xa0€ restants pour 30.000\xa0€\)",
        html,
    )
    assert "Aucun bulletin ne l’a choisi." in html
    assert "Bulletins dépouillés" in html


@pytest.mark.french
def test_equal_shares_reasons_in_french():
    entry = {
        "selected": False,
        "reason": "supporters_short",
        "cost": 30_000,
        "supporters_money_left": {"exact": "25001/2", "value": 12500.5},
    }
    assert re.fullmatch(
        r"Ses soutiens n’avaient plus que 12.500,50\xa0€ pour un coût de 30.000\xa0€\.",
        reason_text(entry),
    )
    completed = {"selected": True, "reason": "selected", "stage": "add1", "step": 4}
    assert reason_text(completed) == "Financé avec l’argent restant une fois la règle arrêtée."
