# SPDX-License-Identifier: AGPL-3.0-or-later
"""The editions' and projects' public API: public fields only (never the submitter),
GeoJSON in WGS84, filters, submitting (JSON and multipart) and supporting."""

import json

import pytest

from carto_concertation.budgets.models import Project, ProjectSupporter
from carto_concertation.engagement.models import Ban
from tests.factories import UserFactory
from tests.factories.budgets import EditionFactory, ProjectFactory

from .projects_world import OUTSIDE, inside, not_a_photo, photo, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
API = "/api/v1/budgets/editions"


def test_the_published_editions_with_their_phases_and_districts(client, world):
    EditionFactory(is_published=False, slug="cachee")
    response = client.get(API)
    assert response.status_code == 200
    (edition,) = response.json()
    assert edition["slug"] == world.edition.slug
    assert edition["envelope"] == 100_000
    assert {d["name"] for d in edition["districts"]} == {world.first.name, world.second.name}
    phases = {phase["kind"]: phase["is_open"] for phase in edition["phases"]}
    assert phases == {"submission": True}
    assert client.get(f"{API}/cachee").status_code == 404
    assert client.get(f"{API}/{world.edition.slug}").json()["title"] == world.edition.title


def test_projects_are_geojson_with_public_fields_and_never_the_submitter(client, world):
    submitter = UserFactory(email="secret@example.org", pseudonym="Zorglub")
    ProjectFactory(edition=world.edition, submitter=submitter, title="Bancs", number=1)
    ProjectFactory(
        edition=world.edition,
        submitter=submitter,
        association="Les Amis du square",
        status=Project.Status.WINNER,
        district=world.second,
        number=2,
    )
    response = client.get(f"{API}/{world.edition.slug}/projects")
    assert response.status_code == 200
    body = response.content.decode()
    assert "secret@example.org" not in body and "Zorglub" not in body
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    first, second = collection["features"]
    assert first["id"] == 1 and first["geometry"]["type"] == "Point"
    longitude, latitude = first["geometry"]["coordinates"]
    assert -5 < longitude < 10 and 41 < latitude < 52  # WGS84, not Lambert-93
    assert "submitter" not in first["properties"]
    assert second["properties"]["association"] == "Les Amis du square"
    assert second["properties"]["status_label"] == "lauréat"  # in French, the default

    winners = client.get(f"{API}/{world.edition.slug}/projects", {"status": "winner"}).json()
    assert [f["id"] for f in winners["features"]] == [2]
    in_second = client.get(f"{API}/{world.edition.slug}/projects", {"district": world.second.pk})
    assert [f["id"] for f in in_second.json()["features"]] == [2]
    bad = client.get(f"{API}/{world.edition.slug}/projects", {"status": "lost"})
    assert bad.status_code == 400 and "status" in bad.json()


def test_a_project_with_its_photos(client, world):
    project = ProjectFactory(edition=world.edition, number=4, revised_cost=25_000)
    response = client.get(f"{API}/{world.edition.slug}/projects/4")
    assert response.status_code == 200
    properties = response.json()["properties"]
    assert properties["cost"] == 25_000 and properties["estimated_cost"] == 20_000
    assert properties["page"] == f"/budgets/{world.edition.slug}/projets/4/"
    assert properties["photos"] == []
    assert project.pk
    assert client.get(f"{API}/{world.edition.slug}/projects/99").status_code == 404


def test_submitting_in_json_and_the_refusals_by_field(client, world):
    url = f"{API}/{world.edition.slug}/projects"
    payload = {
        "title": "Un verger",
        "description": "Des arbres fruitiers.",
        "estimated_cost": 9000,
        "geom": json.loads(inside(world.first).json),
    }
    assert client.post(url, payload, content_type="application/json").status_code in (401, 403)
    client.force_login(world.resident)
    created = client.post(url, payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["number"] == 1 and created.json()["status"] == "proposed"
    project = Project.objects.get()
    assert project.district == world.first and project.submitter == world.resident

    outside = client.post(
        url, {**payload, "geom": json.loads(OUTSIDE.json)}, content_type="application/json"
    )
    assert outside.status_code == 400 and "geom" in outside.json()
    costly = client.post(url, {**payload, "estimated_cost": 0}, content_type="application/json")
    assert costly.status_code == 400 and "estimated_cost" in costly.json()
    assert Project.objects.count() == 1


def test_submitting_with_photos_in_multipart(client, world):
    url = f"{API}/{world.edition.slug}/projects"
    client.force_login(world.resident)
    data = {
        "title": "Une fresque",
        "description": "Sur le mur du gymnase.",
        "estimated_cost": "4000",
        "geom": inside(world.second).json,
    }
    refused = client.post(url, {**data, "photos": [not_a_photo()]})
    assert refused.status_code == 400 and "photos" in refused.json()
    created = client.post(url, {**data, "photos": [photo()]})
    assert created.status_code == 201, created.content
    assert Project.objects.get().photos.count() == 1


def test_submitting_outside_the_phase_is_refused(client):
    edition = EditionFactory(districts=2, phases="vote")
    client.force_login(UserFactory())
    response = client.post(
        f"{API}/{edition.slug}/projects",
        {
            "title": "Trop tard",
            "description": "Le vote est ouvert.",
            "estimated_cost": 100,
            "geom": json.loads(inside(edition.districts.first()).json),
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "edition" in response.json()


def test_supporting_once_then_withdrawing(client, world):
    ProjectFactory(edition=world.edition, number=1, status=Project.Status.PROPOSED)
    url = f"{API}/{world.edition.slug}/projects/1/support"
    assert client.post(url).status_code in (401, 403)
    client.force_login(world.other)
    assert client.post(url).json() == {"supported": True, "supporters": 1}
    again = client.post(url)
    assert again.status_code == 400 and "project" in again.json()
    assert ProjectSupporter.objects.count() == 1
    assert client.delete(url).json() == {"supported": False, "supporters": 0}


def test_a_banned_accounts_support_counts_for_it_alone(client, world):
    """An account the territory's moderators banned supports as anyone (its answer
    counts its support); the project's public count leaves it out."""
    ProjectFactory(edition=world.edition, number=1, status=Project.Status.PROPOSED)
    Ban.objects.create(
        territory=world.edition.territory, user=world.other, reason="x", banned_by=UserFactory()
    )
    url = f"{API}/{world.edition.slug}/projects/1/support"
    client.force_login(world.other)
    assert client.post(url).json() == {"supported": True, "supporters": 1}
    assert ProjectSupporter.objects.get().counted is False
    client.logout()
    listed = client.get(f"{API}/{world.edition.slug}/projects").json()
    assert [f["properties"]["supporters"] for f in listed["features"]] == [0]
