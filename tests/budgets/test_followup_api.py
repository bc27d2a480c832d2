# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up's API: a winner's news (public read, the services' write with a photo),
following it, and the achievements as GeoJSON with public fields only."""

import pytest
from django.test import Client
from django.utils import timezone

from carto_concertation.budgets.models import ProjectFollower, ProjectUpdate
from tests.factories.budgets import EditionFactory, ProjectFactory, ProjectUpdateFactory

from .followup_world import jpeg_upload, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def news_url(project) -> str:
    return f"/api/v1/budgets/editions/{project.edition.slug}/projects/{project.number}/updates"


def follow_url(project) -> str:
    return f"/api/v1/budgets/editions/{project.edition.slug}/projects/{project.number}/follow"


ACHIEVEMENTS = "/api/v1/budgets/achievements"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_services_post_a_news_with_a_photo_that_the_public_reads(world):
    response = signed_in(world.planner).post(
        news_url(world.winner),
        {
            "date": timezone.localdate().isoformat(),
            "text": "Les arbres sont plantés.",
            "photo": jpeg_upload(),
            "realisation": "works",
            "progress": "70",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["realisation"] == "works" and body["progress"] == 70
    assert "author" not in body
    [news] = Client().get(news_url(world.winner)).json()
    assert news["text"] == "Les arbres sont plantés."
    photo = Client().get(news["photo"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"progress": "140"}, "progress"),
        ({"realisation": "abandoned"}, "abandon_reason"),
        ({"text": ""}, "text"),
        ({"date": "hier"}, "date"),
        ({"realisation": "finished"}, "realisation"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(world, change, field):
    data = {"date": timezone.localdate().isoformat(), "text": "Travaux."} | change
    response = signed_in(world.planner).post(news_url(world.winner), data)
    assert response.status_code == 400
    assert field in response.json()
    assert not ProjectUpdate.objects.exists()


def test_a_resident_may_not_post_a_news(world):
    data = {"date": timezone.localdate().isoformat(), "text": "Travaux."}
    assert signed_in(world.resident).post(news_url(world.winner), data).status_code == 403
    assert Client().post(news_url(world.winner), data).status_code in (401, 403)
    assert not ProjectUpdate.objects.exists()


def test_a_project_that_did_not_win_is_not_found(world):
    data = {"date": timezone.localdate().isoformat(), "text": "Travaux."}
    assert signed_in(world.planner).post(news_url(world.loser), data).status_code == 404
    assert Client().get(news_url(world.loser)).status_code == 404
    assert signed_in(world.resident).post(follow_url(world.loser)).status_code == 404


def test_follow_and_unfollow(world):
    client = signed_in(world.resident)
    assert client.post(follow_url(world.winner)).json() == {"following": True, "followers": 1}
    assert ProjectFollower.objects.filter(user=world.resident).exists()
    assert client.delete(follow_url(world.winner)).json() == {"following": False, "followers": 0}
    assert Client().post(follow_url(world.winner)).status_code in (401, 403)


def test_the_achievements_are_geojson_with_public_fields_only(world):
    world.winner.realisation = "works"
    world.winner.progress = 40
    world.winner.save()
    ProjectUpdateFactory(project=world.winner, author=world.planner)
    unpublished = EditionFactory(is_published=False, districts=1)
    ProjectFactory(edition=unpublished, status="winner", title="Pas encore public")
    body = Client().get(ACHIEVEMENTS).json()
    assert body["type"] == "FeatureCollection"
    titles = {f["properties"]["title"]: f for f in body["features"]}
    assert set(titles) == {"Verger partagé", "Abri vélos"}
    feature = titles["Verger partagé"]
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert -5 < lon < 10 and 41 < lat < 52, "WGS84"
    assert set(feature["properties"]) == {
        "edition",
        "edition_title",
        "year",
        "number",
        "title",
        "status",
        "realisation",
        "progress",
        "abandon_reason",
        "last_news",
        "url",
    }
    assert feature["properties"]["realisation"] == "works"
    assert feature["properties"]["last_news"] == timezone.localdate().isoformat()
    assert titles["Abri vélos"]["properties"]["realisation"] == "study", "not started: study"
    for private in ("submitter", "author", "description", "estimated_cost"):
        assert private not in str(body)


def test_the_achievements_filter(world):
    world.winner.realisation = "done"
    world.winner.save()
    done = Client().get(ACHIEVEMENTS, {"realisation": "done"}).json()["features"]
    assert [f["properties"]["title"] for f in done] == ["Verger partagé"]
    other = Client().get(ACHIEVEMENTS, {"edition": "another"}).json()["features"]
    assert other == []
    assert Client().get(ACHIEVEMENTS, {"realisation": "soon"}).status_code == 400


def test_following_is_rate_limited_on_the_api_and_the_page(world):
    """30 an hour per person (BUDGET_FOLLOW_RATE), whichever way one follows."""
    client = signed_in(world.resident)
    statuses = [client.post(follow_url(world.winner)).status_code for _ in range(30)]
    assert statuses == [200] * 30
    assert client.post(follow_url(world.winner)).status_code == 429
    page = f"/budgets/{world.edition.slug}/projets/{world.winner.number}/suivi/"
    assert client.post(page, {"action": "unfollow"}).status_code == 429
    assert ProjectFollower.objects.filter(user=world.resident).exists(), "nothing written"
