# SPDX-License-Identifier: AGPL-3.0-or-later
"""The submission and review API: submit (JSON and multipart, GeoJSON in WGS84), one's
own projects, read and change one, accept and refuse; field-level 400s writing nothing,
403 for a person who may read but not do, 404 for one who may not see."""

import json
from datetime import timedelta

import pytest

from carto_concertation.crowdfunding.models import Project
from carto_concertation.territories.services import territory_modules_switch
from tests.factories import CrowdfundingProjectFactory

from .submission_world import (  # noqa: F401
    OUTSIDE,
    as_json,
    inside,
    photo,
    project_data,
    world_fixture,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/crowdfunding/projects/"


def post_json(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def submit(client, world, **changes):
    body = as_json(project_data(world, **changes))
    body["territory"] = world.territory.pk
    return post_json(client, API, body)


def test_submitting_in_json_answers_the_project_without_any_account(client, world):
    client.force_login(world.porteur)
    response = submit(client, world, title="Toiture <b>solaire</b> & « école »")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Toiture <b>solaire</b> & « école »"
    assert body["status"] == "submitted" and body["commune"] == world.second.name
    assert body["interest_rate"] == "1.80" and body["loan_months"] == 60
    assert body["geom"]["type"] == "Point"
    longitude, latitude = body["geom"]["coordinates"]
    assert -5 < longitude < 10 and 41 < latitude < 52  # WGS84, not Lambert-93
    assert body["page"] is None  # not public before the decision
    assert "submitter" not in body and world.porteur.email not in response.content.decode()
    assert Project.objects.get().submitter == world.porteur


def test_submitting_in_multipart_with_photos(client, world):
    client.force_login(world.porteur)
    data = as_json(project_data(world))
    data["geom"] = json.dumps(data["geom"])
    data.update(territory=world.territory.pk, photos=[photo(), photo("b.jpg")])
    response = client.post(API, data)
    assert response.status_code == 201, response.content
    assert len(response.json()["photos"]) == 2


def test_the_territory_is_asked_only_when_the_portal_has_several(client, world):
    client.force_login(world.porteur)
    body = as_json(project_data(world))
    response = post_json(client, API, body)
    assert response.status_code == 400 and "territory" in response.json()
    territory_modules_switch(territory=world.elsewhere, modules_off=["crowdfunding"])
    assert post_json(client, API, body).status_code == 201
    body["territory"] = world.elsewhere.pk
    response = post_json(client, API, body)
    assert response.status_code == 400 and "territory" in response.json()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"geom": OUTSIDE}, "geom"),
        ({"goal": 0}, "goal"),
        ({"goal": -10}, "goal"),
        ({"campaign_url": "http://www.collecticity.fr/x"}, "campaign_url"),
        ({"interest_rate": None}, "interest_rate"),
        ({"modality": "equity"}, "interest_rate"),
        ({"total_budget": 1_000}, "total_budget"),
        ({"geom": {"type": "Point", "coordinates": [1e308, 91]}}, "geom"),
        ({"geom": "POINT(2 46)"}, "geom"),
        ({"campaign_starts_on": "demain"}, "campaign_starts_on"),
        ({"theme": "war"}, "theme"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(client, world, changes, field):
    client.force_login(world.porteur)
    response = submit(client, world, **changes)
    assert response.status_code == 400
    assert field in response.json()
    assert not Project.objects.exists()


def test_a_campaign_ending_before_it_starts_is_refused(client, world):
    client.force_login(world.porteur)
    data = project_data(world)
    response = submit(client, world, campaign_ends_on=data["campaign_starts_on"] - timedelta(1))
    assert response.status_code == 400 and "campaign_ends_on" in response.json()
    assert not Project.objects.exists()


def test_signed_out_nothing_is_submitted(client, world):
    assert submit(client, world).status_code in (401, 403)
    assert not Project.objects.exists()


def test_my_projects_and_only_mine(client, world):
    client.force_login(world.porteur)
    submit(client, world, title="Le mien")
    CrowdfundingProjectFactory(territory=world.territory, submitter=world.other, title="L’autre")
    mine = client.get(API + "mine").json()
    assert [project["title"] for project in mine] == ["Le mien"]


def test_the_lifecycle_submit_then_refuse(client, world):
    client.force_login(world.porteur)
    slug = submit(client, world).json()["slug"]
    assert post_json(client, f"{API}{slug}/refuse", {"reason": "Non"}).status_code == 403
    client.force_login(world.planner)
    response = post_json(client, f"{API}{slug}/refuse", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()
    response = post_json(client, f"{API}{slug}/refuse", {"reason": "Pas sur le territoire"})
    assert response.status_code == 200
    assert response.json()["status"] == "refused"
    client.force_login(world.porteur)
    (mine,) = client.get(API + "mine").json()
    assert mine["refusal_reason"] == "Pas sur le territoire"
    client.force_login(world.planner)
    again = client.post(f"{API}{slug}/accept")
    assert again.status_code == 400 and "status" in again.json()


def test_the_lifecycle_submit_then_accept_then_support(client, world):
    client.force_login(world.porteur)
    slug = submit(client, world).json()["slug"]
    client.force_login(world.foreign_planner)
    assert client.post(f"{API}{slug}/accept").status_code == 404
    client.force_login(world.planner)
    response = client.post(f"{API}{slug}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    response = client.patch(
        f"{API}{slug}/",
        json.dumps({"supported": True, "cofunding": 2_000}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["supported"] is True and response.json()["cofunding"] == 2_000


def test_patch_by_the_porteur_field_level_and_permissions(client, world):
    client.force_login(world.porteur)
    slug = submit(client, world).json()["slug"]
    url = f"{API}{slug}/"

    def patch(body):
        return client.patch(url, json.dumps(body), content_type="application/json")

    assert patch({"goal": 0}).status_code == 400
    assert patch({"supported": True}).status_code == 403
    response = patch(
        {"title": "Toiture « partagée »", "geom": as_json({"g": inside(world.first)})["g"]}
    )
    assert response.status_code == 200
    assert response.json()["commune"] == world.first.name
    project = Project.objects.get()
    assert (project.goal, project.supported) == (20_000, False)
    client.force_login(world.other)
    assert client.get(url).status_code == 404
    assert patch({"title": "Pris"}).status_code == 404
    client.logout()
    assert patch({"title": "Pris"}).status_code in (401, 403)
    project.refresh_from_db()
    assert project.title == "Toiture « partagée »"


def test_a_project_where_the_portal_is_off_is_not_found(client, world):
    client.force_login(world.porteur)
    slug = submit(client, world).json()["slug"]
    territory_modules_switch(territory=world.territory, modules_off=["crowdfunding"])
    assert client.get(f"{API}{slug}/").status_code == 404
    client.force_login(world.planner)
    assert client.post(f"{API}{slug}/accept").status_code == 404
    assert Project.objects.get().status == Project.Status.SUBMITTED
