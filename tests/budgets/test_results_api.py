# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results' API refusals (each writes nothing) and its runs, the count run in the
test's process (the worker's lifecycle is test_results_lifecycle.py)."""

import pytest

from carto_concertation.budgets.models import Edition, Project, ResultRun
from carto_concertation.budgets.tasks import budget_results_task
from carto_concertation.core.models import Job
from tests.factories.budgets import EditionFactory, ResultRunFactory

from .results_world import api, post, results_world

pytestmark = pytest.mark.django_db


def computed(client, world, **data) -> ResultRun:
    """Ask for a count through the API and run its job here."""
    client.force_login(world.planner)
    response = post(client, api(world.edition.slug, "/runs"), data)
    assert response.status_code == 202, response.content
    budget_results_task(response.json()["runs"][0]["job"]["id"])
    return ResultRun.objects.get(pk=response.json()["runs"][0]["id"])


def test_counting_before_the_vote_closed_is_refused(client):
    world = results_world(close=False)
    client.force_login(world.planner)
    response = post(client, api(world.edition.slug, "/runs"), {})
    assert response.status_code == 400
    assert "edition" in response.json()
    assert not ResultRun.objects.exists()
    assert not Job.objects.exists()


def test_an_imported_edition_without_phases_may_be_counted(client):
    world = results_world(phases=None)
    run = computed(client, world)
    assert run.total_cost == 100_000


def test_a_resident_may_not_count_nor_see_the_runs_nor_publish(client):
    world = results_world()
    client.force_login(world.resident)
    assert post(client, api(world.edition.slug, "/runs"), {}).status_code == 403
    assert client.get(api(world.edition.slug, "/runs")).status_code == 403
    run = ResultRunFactory(edition=world.edition, computed_at="2026-01-01T00:00Z")
    assert post(client, api(world.edition.slug, "/publish"), {"runs": [run.pk]}).status_code == 403
    assert not ResultRun.objects.filter(is_published=True).exists()
    assert ResultRun.objects.count() == 1
    client.logout()
    assert post(client, api(world.edition.slug, "/runs"), {}).status_code in (401, 403)


def test_a_planner_of_another_territory_may_not_count(client):
    world = results_world()
    other = results_world()
    client.force_login(other.planner)
    assert post(client, api(world.edition.slug, "/runs"), {}).status_code == 403
    assert not ResultRun.objects.exists()


def test_an_unknown_rule_is_refused_naming_the_field(client):
    world = results_world()
    client.force_login(world.planner)
    response = post(client, api(world.edition.slug, "/runs"), {"rule": "lottery"})
    assert response.status_code == 400
    assert "rule" in response.json()
    assert not ResultRun.objects.exists()


def test_the_rule_and_its_settings_are_kept_with_the_run(client):
    world = results_world()
    run = computed(client, world, rule="equalshares", satisfaction="cardinality", comparison=True)
    assert (run.rule, run.satisfaction, run.mes_comparison) == ("equalshares", "cardinality", True)
    runs = client.get(api(world.edition.slug, "/runs")).json()["runs"]
    assert "partagée à parts égales entre les votants" in runs[0]["method"]
    assert "nombre de projets qu’il a choisis" in runs[0]["method"]
    assert "comparé à celui de la règle gloutonne" in runs[0]["method"]
    # By default, the edition's own settings.
    Edition.objects.filter(pk=world.edition.pk).update(counting_rule="knapsack")
    world.edition.refresh_from_db()
    assert computed(client, world).rule == "knapsack"


def test_publishing_a_run_of_another_edition_is_refused(client):
    world = results_world()
    run = computed(client, world)
    other = results_world()
    client.force_login(other.planner)
    response = post(client, api(other.edition.slug, "/publish"), {"runs": [run.pk]})
    assert response.status_code == 400
    assert "runs" in response.json()
    run.refresh_from_db()
    assert not run.is_published
    assert set(Project.objects.values_list("status", flat=True)) == {Project.Status.ON_BALLOT}


def test_a_run_still_computing_or_unknown_is_not_published(client):
    world = results_world()
    client.force_login(world.planner)
    response = post(client, api(world.edition.slug, "/runs"), {})
    pending = response.json()["runs"][0]["id"]
    refused = post(client, api(world.edition.slug, "/publish"), {"runs": [pending]})
    assert refused.status_code == 400
    assert "runs" in refused.json()
    unknown = post(client, api(world.edition.slug, "/publish"), {"runs": [pending + 1000]})
    assert unknown.status_code == 400
    assert not ResultRun.objects.filter(is_published=True).exists()


def test_publishing_another_run_replaces_the_first(client):
    world = results_world()
    first = computed(client, world)
    assert (
        post(client, api(world.edition.slug, "/publish"), {"runs": [first.pk]}).status_code == 200
    )
    # The services revise no. 1's cost: a recount keeps the projects already decided.
    Project.objects.filter(pk=world.projects[0].pk).update(revised_cost=95_000)
    second = computed(client, world)
    assert second.selected == [world.projects[0].pk]
    response = post(client, api(world.edition.slug, "/publish"), {"runs": [second.pk]})
    assert response.status_code == 200
    assert list(ResultRun.objects.filter(is_published=True)) == [second]
    statuses = dict(Project.objects.values_list("number", "status"))
    assert statuses[1] == "winner"
    assert statuses[2] == statuses[4] == "not_selected"
    public = client.get(api(world.edition.slug)).json()["runs"]
    assert [run["id"] for run in public] == [second.pk]


def test_no_public_results_before_publication_nor_for_an_unpublished_edition(client):
    world = results_world()
    computed(client, world)
    client.logout()
    assert client.get(api(world.edition.slug)).status_code == 404
    hidden = EditionFactory(is_published=False)
    ResultRunFactory(edition=hidden, is_published=True)
    assert client.get(api(hidden.slug)).status_code == 404
