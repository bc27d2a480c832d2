# SPDX-License-Identifier: AGPL-3.0-or-later
"""An account the moderators banned from the edition's territory proposes a project as
anyone (the same answer, the same pages for it) but the project is held: nobody else sees
it (API, pages, open data) until the services' analysis decides on it. Its supports are
kept out of the public counts, yet it reads its own support counted wherever it reads a
count (page, API list and detail), with no query more. A lifted ban lets a new project
through."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carto_concertation.accounts.models import Role
from carto_concertation.budgets.datasets import projects_open
from carto_concertation.budgets.models import Project
from carto_concertation.budgets.services.analysis import project_decide, projects_merge
from carto_concertation.engagement.services import ban_create, ban_lift
from tests.factories.accounts import user_with_role
from tests.factories.budgets import EditionFactory, ProjectFactory, ProjectSupporterFactory

from .projects_world import inside, world_fixture  # noqa: F401
from .test_projects_map import tile

pytestmark = pytest.mark.django_db
API = "/api/v1/budgets/editions"


def ban(territory, person):
    moderator = user_with_role(Role.MODERATOR, territory=territory)
    return ban_create(
        territory=territory, user=person, reason="Spam", ends_at=None, banned_by=moderator
    ), moderator


def propose(client, world, title="Un verger"):
    payload = {
        "title": title,
        "description": "Des arbres fruitiers.",
        "estimated_cost": 9000,
        "geom": json.loads(inside(world.first).json),
    }
    return client.post(
        f"{API}/{world.edition.slug}/projects", payload, content_type="application/json"
    )


def what_each_sees(client, world, person) -> dict:
    slug = world.edition.slug
    client.force_login(person)
    return {
        "listed": [f["id"] for f in client.get(f"{API}/{slug}/projects").json()["features"]],
        "detail": client.get(f"{API}/{slug}/projects/1").status_code,
        "page": client.get(f"/budgets/{slug}/projets/1/").status_code,
        "in_edition_page": "Un verger" in client.get(f"/budgets/{slug}/").content.decode(),
    }


def test_a_banned_accounts_proposal_is_held_and_it_is_answered_alike(client, world):
    ban(world.edition.territory, world.resident)
    client.force_login(world.resident)
    answered = propose(client, world)
    assert answered.status_code == 201
    assert answered.json() == {
        "number": 1,
        "status": "proposed",
        "page": f"/budgets/{world.edition.slug}/projets/1/",
    }
    assert Project.objects.get().held is True
    assert what_each_sees(client, world, world.resident) == {
        "listed": [1],
        "detail": 200,
        "page": 200,
        "in_edition_page": True,
    }
    assert what_each_sees(client, world, world.other) == {
        "listed": [],
        "detail": 404,
        "page": 404,
        "in_edition_page": False,
    }
    client.logout()
    assert client.get(f"{API}/{world.edition.slug}/projects/1").status_code == 404
    assert not projects_open().exists()
    # Nobody else can support what they cannot see.
    client.force_login(world.other)
    assert client.post(f"{API}/{world.edition.slug}/projects/1/support").status_code == 404


def test_a_banned_accounts_proposal_by_the_page_thanks_it_as_anyone(client, world):
    ban(world.edition.territory, world.resident)
    client.force_login(world.resident)
    place = inside(world.second)
    sent = client.post(
        f"/budgets/{world.edition.slug}/proposer/",
        {
            "title": "Un verger",
            "description": "Des pommiers.",
            "estimated_cost": "8000",
            "longitude": f"{place.x:.6f}",
            "latitude": f"{place.y:.6f}",
        },
    )
    assert sent["Location"] == f"/budgets/{world.edition.slug}/proposer/merci/1/"
    assert "Un verger" in client.get(sent["Location"]).content.decode()
    client.force_login(world.other)
    assert client.get(sent["Location"]).status_code == 404


def test_a_lifted_ban_lets_a_new_proposal_through(client, world):
    the_ban, moderator = ban(world.edition.territory, world.resident)
    ban_lift(ban=the_ban, lifted_by=moderator)
    client.force_login(world.resident)
    assert propose(client, world).status_code == 201
    assert Project.objects.get().held is False
    assert what_each_sees(client, world, world.other)["listed"] == [1]


def test_a_ban_in_another_territory_holds_nothing(client, world):
    ban(EditionFactory().territory, world.resident)
    client.force_login(world.resident)
    assert propose(client, world).status_code == 201
    assert Project.objects.get().held is False


def test_the_services_decision_publishes_a_held_project():
    edition = EditionFactory(phases="analysis")
    planner = user_with_role(Role.PLANNER, territory=edition.territory)
    held = ProjectFactory(edition=edition, status=Project.Status.PROPOSED, held=True)
    assert not projects_open().exists()
    project_decide(held, user=planner, admissible=False, reason="Hors compétence")
    held.refresh_from_db()
    assert held.held is False
    assert list(projects_open()) == [held]


def test_a_banned_supporter_reads_its_support_counted_and_no_one_else_does(client, world):
    slug = world.edition.slug
    ProjectFactory(edition=world.edition, number=1, status=Project.Status.PROPOSED)
    ban(world.edition.territory, world.other)
    client.force_login(world.other)
    assert client.post(f"{API}/{slug}/projects/1/support").json()["supporters"] == 1

    def counts() -> tuple:
        listed = client.get(f"{API}/{slug}/projects").json()["features"]
        detail = client.get(f"{API}/{slug}/projects/1").json()["properties"]["supporters"]
        page = client.get(f"/budgets/{slug}/projets/1/")
        return [f["properties"]["supporters"] for f in listed], detail, page.content.decode()

    mine, detail, page = counts()
    assert (mine, detail) == ([1], 1) and '<p id="supporter-count">1 ' in page
    client.force_login(world.resident)
    theirs, detail, page = counts()
    assert (theirs, detail) == ([0], 0) and '<p id="supporter-count">0 ' in page
    client.logout()
    assert counts()[:2] == ([0], 0)


def test_reading_ones_own_count_costs_no_query_more(client, world):
    slug = world.edition.slug
    for number in range(1, 6):
        ProjectFactory(edition=world.edition, number=number, status=Project.Status.PROPOSED)
    ban(world.edition.territory, world.other)
    client.force_login(world.other)
    for number in range(1, 6):
        client.post(f"{API}/{slug}/projects/{number}/support")
    client.force_login(world.resident)
    with CaptureQueriesContext(connection) as anyone:
        client.get(f"{API}/{slug}/projects")
    client.force_login(world.other)
    with CaptureQueriesContext(connection) as banned:
        listed = client.get(f"{API}/{slug}/projects").json()["features"]
    assert [f["properties"]["supporters"] for f in listed] == [1] * 5
    assert len(banned) == len(anyone)


def test_the_tiles_leave_out_a_held_project_and_a_banned_accounts_support(client):
    edition = EditionFactory(districts=2, phases="submission")
    shown = ProjectFactory(edition=edition, number=1, status=Project.Status.PROPOSED)
    ProjectFactory(edition=edition, number=2, held=True, geom=shown.geom.buffer(60, quadsegs=1))
    ProjectSupporterFactory(project=shown)
    ProjectSupporterFactory(project=shown, counted=False)
    features = tile(client, f"budget-{edition.slug}", shown.geom)
    assert [(f["properties"]["number"], f["properties"]["supporters"]) for f in features] == [
        (1, 1)
    ]


def test_the_analysis_shows_a_held_project_and_a_merge_into_it_publishes_it(client):
    edition = EditionFactory(phases="analysis")
    planner = user_with_role(Role.PLANNER, territory=edition.territory)
    proposed = Project.Status.PROPOSED
    held = ProjectFactory(
        edition=edition, number=1, status=proposed, held=True, title="Verger retenu"
    )
    other = ProjectFactory(edition=edition, number=2, status=proposed, title="Verger bis")
    client.force_login(planner)
    page = client.get(f"/budgets/gestion/{edition.slug}/analyse/", HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert "Verger retenu" in html and "retenu : proposé par un compte banni" in html
    projects_merge(keep=held, merged=[other], user=planner, reason="Même verger")
    held.refresh_from_db()
    assert held.held is False
