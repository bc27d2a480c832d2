# SPDX-License-Identifier: AGPL-3.0-or-later
"""A banned account's vote is kept and left out of the tallies, and the ban is not told:
wherever that voter reads an idea's tallies (its vote's answer, the idea's page, the
API's detail and list, the map page's list) its own vote shows as counted, for it alone,
with no query more per idea. Everyone else reads the tallies as counted. After the ban,
its vote given again counts once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.contributions.models import Contribution, IdeasSettings
from carto_concertation.engagement.models import Ban
from carto_concertation.engagement.services import ban_create
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.worlds import make_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(small_open_concertation):
    return small_open_concertation


@pytest.fixture
def banned(space):
    person = UserFactory(pseudonym="Importun")
    moderator = user_with_role(Role.MODERATOR, territory=space.territory)
    ban_create(
        territory=space.territory, user=person, reason="x", ends_at=None, banned_by=moderator
    )
    return person


def vote(client, space, idea, value: int) -> dict:
    url = f"/api/v1/concertations/{space.slug}/contributions/{idea.pk}/vote"
    answer = client.put(url, {"value": value}, content_type="application/json")
    assert answer.status_code == 200
    return answer.json()


def readings(client, space, idea) -> dict:
    """What the signed-in person reads of the idea's supports, everywhere."""
    api = f"/api/v1/concertations/{space.slug}/contributions/"
    listed = client.get(api).json()["features"]
    page = client.get(f"/concertations/{space.slug}/idees/{idea.pk}/").content.decode()
    map_page = client.get(f"/concertations/{space.slug}/").content.decode()
    return {
        "list": next(f["properties"]["votes_for"] for f in listed if f["id"] == idea.pk),
        "detail": client.get(f"{api}{idea.pk}/").json()["properties"]["votes_for"],
        "page": re.search(r'id="votes-title".*?<p>(\d+) ', page, re.DOTALL).group(1),
        "map_list": re.search(r'class="meta">[^<]*· (\d+) ', map_page).group(1),
    }


def test_a_banned_voter_reads_its_support_counted_and_no_one_else_does(client, space, banned):
    idea = make_idea(space, UserFactory())
    client.force_login(banned)
    assert vote(client, space, idea, 1)["votes_for"] == 1
    assert Contribution.objects.get(pk=idea.pk).votes_for == 0
    assert readings(client, space, idea) == {"list": 1, "detail": 1, "page": "1", "map_list": "1"}
    client.force_login(UserFactory())
    assert readings(client, space, idea) == {"list": 0, "detail": 0, "page": "0", "map_list": "0"}
    client.logout()
    api = f"/api/v1/concertations/{space.slug}/contributions/{idea.pk}/"
    assert client.get(api).json()["properties"]["votes_for"] == 0


def test_a_banned_voters_rating_is_added_for_it_alone(client, space, banned):
    IdeasSettings.objects.filter(space_module__concertation=space).update(
        vote_mode=IdeasSettings.VoteMode.RATING
    )
    idea = make_idea(space, UserFactory())
    client.force_login(banned)
    mine = vote(client, space, idea, 2)
    assert (mine["rating_sum"], mine["rating_count"]) == (2, 1)
    detail = client.get(f"/api/v1/concertations/{space.slug}/contributions/{idea.pk}/").json()
    assert (detail["properties"]["rating_sum"], detail["properties"]["rating_count"]) == (2, 1)
    client.force_login(UserFactory())
    detail = client.get(f"/api/v1/concertations/{space.slug}/contributions/{idea.pk}/").json()
    assert (detail["properties"]["rating_sum"], detail["properties"]["rating_count"]) == (0, 0)


def test_after_the_ban_its_vote_given_again_counts_once(client, space, banned):
    idea = make_idea(space, UserFactory())
    client.force_login(banned)
    vote(client, space, idea, 1)
    Ban.objects.update(lifted_at=timezone.now())
    assert vote(client, space, idea, 1)["votes_for"] == 1
    assert Contribution.objects.get(pk=idea.pk).votes_for == 1
    assert readings(client, space, idea)["detail"] == 1


def test_the_list_costs_no_query_more_per_idea(client, space, banned):
    ideas = [make_idea(space, UserFactory(), nth=n) for n in range(6)]
    client.force_login(banned)
    vote(client, space, ideas[0], 1)
    api = f"/api/v1/concertations/{space.slug}/contributions/"
    with CaptureQueriesContext(connection) as one:
        client.get(api)
    for idea in ideas[1:]:
        vote(client, space, idea, 1)
    with CaptureQueriesContext(connection) as six:
        listed = client.get(api).json()["features"]
    assert [f["properties"]["votes_for"] for f in listed] == [1] * 6
    assert len(six) == len(one)
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as anyone:
        client.get(api)
    # A banned voter's page asks at most the vote mode once more than anyone's.
    assert len(six) <= len(anyone) + 1


def test_the_similar_ideas_offered_to_it_count_its_support(client, space, banned):
    idea = make_idea(space, UserFactory(), title="Une piste cyclable vers la gare")
    client.force_login(banned)
    vote(client, space, idea, 1)
    here = idea.geom.transform(4326, clone=True).point_on_surface
    params = {"lon": here.x, "lat": here.y, "title": "Une piste cyclable vers la gare"}
    url = f"/api/v1/concertations/{space.slug}/contributions/similar"
    [mine] = client.get(url, params).json()["features"]
    assert mine["properties"]["votes_for"] == 1
    client.force_login(UserFactory())
    [theirs] = client.get(url, params).json()["features"]
    assert theirs["properties"]["votes_for"] == 0
