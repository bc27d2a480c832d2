# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up's API: a project's news of the works (public read, paginated; the
porteur's and the agents' write, multipart with a photo) and following a project."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carto_concertation.crowdfunding.models import Project, ProjectFollower, WorksUpdate
from tests.factories import CrowdfundingProjectFactory, WorksUpdateFactory

from .followup_world import jpeg_upload, signed_in, world_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db]


def news_url(project) -> str:
    return f"/api/v1/crowdfunding/projects/{project.slug}/news"


def follow_url(project) -> str:
    return f"/api/v1/crowdfunding/projects/{project.slug}/follow"


def today() -> str:
    return timezone.localdate().isoformat()


def test_the_porteur_posts_a_news_with_a_photo_that_the_public_reads(world):
    text = "Les panneaux sont posés <b>enfin</b> & raccordés.\nMerci !"
    response = signed_in(world.porteur).post(
        news_url(world.project),
        {"date": today(), "text": text, "photo": jpeg_upload(), "inaugurated": "true"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["inaugurated"] is True and "author" not in body
    world.project.refresh_from_db()
    assert world.project.status == Project.Status.INAUGURATED
    listed = Client().get(news_url(world.project)).json()
    assert listed["count"] == 1
    [news] = listed["results"]
    assert news["text"] == text, "kept as typed"
    photo = Client().get(news["photo"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_an_agent_posts_in_json_too(world):
    response = signed_in(world.planner).post(
        news_url(world.project),
        {"date": today(), "text": "Chantier ouvert."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["photo"] is None


def test_the_news_are_paginated_newest_first(world):
    start = world.project.campaign_ends_on
    for days in range(25):
        WorksUpdateFactory(project=world.project, date=start + timedelta(days=days % 10))
    first = Client().get(news_url(world.project)).json()
    assert first["count"] == 25 and len(first["results"]) == 20 and first["next"]
    dates = [news["date"] for news in first["results"]]
    assert dates == sorted(dates, reverse=True)
    second = Client().get(first["next"]).json()
    assert len(second["results"]) == 5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": ""}, "text"),
        ({"date": "hier"}, "date"),
        ({"date": "2099-01-01"}, "date"),
        ({"text": "x" * 5001}, "text"),
        ({"photo": "not a file"}, "photo"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(world, change, field):
    data = {"date": today(), "text": "Travaux."} | change
    response = signed_in(world.porteur).post(news_url(world.project), data)
    assert response.status_code == 400
    assert field in response.json()
    assert not WorksUpdate.objects.exists()


def test_news_before_the_end_of_the_campaign_is_a_400(world):
    day_before = (world.project.campaign_ends_on - timedelta(days=1)).isoformat()
    response = signed_in(world.porteur).post(
        news_url(world.project), {"date": day_before, "text": "Travaux."}
    )
    assert response.status_code == 400 and "date" in response.json()


def test_a_project_still_in_campaign_takes_no_news(world):
    in_campaign = CrowdfundingProjectFactory(submitter=world.porteur)
    response = signed_in(world.porteur).post(
        news_url(in_campaign), {"date": today(), "text": "Travaux."}
    )
    assert response.status_code == 400 and "project" in response.json()


def test_others_may_not_post_a_news(world):
    data = {"date": today(), "text": "Travaux."}
    assert signed_in(world.resident).post(news_url(world.project), data).status_code == 403
    assert signed_in(world.other_planner).post(news_url(world.project), data).status_code == 403
    assert Client().post(news_url(world.project), data).status_code in (401, 403)
    assert not WorksUpdate.objects.exists()


def test_a_project_the_public_does_not_see_is_not_found(world):
    submitted = CrowdfundingProjectFactory(status=Project.Status.SUBMITTED)
    assert Client().get(news_url(submitted)).status_code == 404
    data = {"date": today(), "text": "Travaux."}
    assert signed_in(world.resident).post(news_url(submitted), data).status_code == 404
    assert signed_in(world.resident).post(follow_url(submitted)).status_code == 404


def test_follow_and_unfollow(world):
    client = signed_in(world.resident)
    assert client.post(follow_url(world.project)).json() == {"following": True, "followers": 1}
    assert client.post(follow_url(world.project)).json() == {"following": True, "followers": 1}
    assert ProjectFollower.objects.get().user == world.resident
    assert client.delete(follow_url(world.project)).json() == {"following": False, "followers": 0}
    assert Client().post(follow_url(world.project)).status_code in (401, 403)
    assert not ProjectFollower.objects.exists()


def test_a_refused_project_is_not_followed(world):
    refused = CrowdfundingProjectFactory(
        status=Project.Status.REFUSED, refusal_reason="Hors du territoire."
    )
    response = signed_in(world.resident).post(follow_url(refused))
    assert response.status_code == 400 and "project" in response.json()
    assert not ProjectFollower.objects.exists()
