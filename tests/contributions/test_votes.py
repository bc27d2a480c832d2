# SPDX-License-Identifier: AGPL-3.0-or-later
"""One opinion per person; tallies exact under parallel votes."""

import threading

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from carto_concertation.contributions.models import Contribution, IdeasSettings
from carto_concertation.contributions.services import contribution_create, vote_cast
from carto_concertation.engagement.models import Vote
from tests.factories import UserFactory

from .conftest import lonlat_in

pytestmark = pytest.mark.django_db(transaction=True)
VOTE = "/api/v1/concertations/{slug}/contributions/{pk}/vote"


@pytest.fixture
def concertation(small_concertation):
    """Votes need no real zoning: the small world's concertation (tests/worlds.py)."""
    return small_concertation


@pytest.fixture
def contribution(concertation, resident):
    lon, lat = lonlat_in("UE")
    return contribution_create(
        concertation=concertation,
        author=resident,
        title="Idée",
        text="Texte",
        geometry=Point(lon, lat, srid=4326),
    )


def set_mode(concertation, mode):
    IdeasSettings.objects.filter(space_module__concertation=concertation).update(vote_mode=mode)


def test_give_change_and_withdraw_a_rating(client, concertation, contribution):
    set_mode(concertation, IdeasSettings.VoteMode.RATING)
    url = VOTE.format(slug=concertation.slug, pk=contribution.pk)
    client.force_login(UserFactory())
    assert client.put(url, {"value": 2}, content_type="application/json").json() == {
        "votes_for": 0,
        "votes_against": 0,
        "rating_sum": 2,
        "rating_count": 1,
    }
    assert (
        client.put(url, {"value": -1}, content_type="application/json").json()["rating_sum"] == -1
    )
    assert client.delete(url).json() == {
        "votes_for": 0,
        "votes_against": 0,
        "rating_sum": 0,
        "rating_count": 0,
    }
    assert not Vote.objects.filter(contribution=contribution).exists()


@pytest.mark.parametrize(
    ("mode", "value"),
    [("support", -1), ("support", 2), ("for_against", 2), ("rating", 0), ("rating", 3)],
)
def test_a_vote_the_mode_does_not_allow_is_refused(client, concertation, contribution, mode, value):
    set_mode(concertation, mode)
    client.force_login(UserFactory())
    response = client.put(
        VOTE.format(slug=concertation.slug, pk=contribution.pk),
        {"value": value},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "value" in response.json()
    assert not Vote.objects.filter(contribution=contribution).exists()


def test_no_vote_on_a_contribution_awaiting_moderation(client, concertation, contribution):
    Contribution.objects.filter(pk=contribution.pk).update(status=Contribution.Status.SUBMITTED)
    client.force_login(UserFactory())
    response = client.put(
        VOTE.format(slug=concertation.slug, pk=contribution.pk),
        {"value": 1},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "contribution" in response.json()


def test_anonymous_cannot_vote(client, concertation, contribution):
    client.logout()
    response = client.put(
        VOTE.format(slug=concertation.slug, pk=contribution.pk),
        {"value": 1},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_parallel_voters_leave_exact_tallies(concertation, contribution):
    set_mode(concertation, IdeasSettings.VoteMode.FOR_AGAINST)
    voters = [UserFactory() for _ in range(24)]
    barrier = threading.Barrier(len(voters) + 4)
    errors = []

    def vote(user, value):
        try:
            barrier.wait()
            vote_cast(contribution=contribution, voter=user, value=value)
        except Exception as exc:  # a lost race must still leave the tallies exact
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=vote, args=(user, 1 if i % 3 else -1))
        for i, user in enumerate(voters)
    ]
    # The same person clicking four times at once on "against".
    threads += [threading.Thread(target=vote, args=(voters[0], -1)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    contribution.refresh_from_db()
    votes = list(Vote.objects.filter(contribution=contribution))
    assert len(votes) == len(voters)  # one per person, the double clicks included
    assert contribution.votes_for == sum(1 for v in votes if v.value > 0)
    assert contribution.votes_against == sum(1 for v in votes if v.value < 0)
    assert contribution.votes_for + contribution.votes_against == len(voters)
    assert errors == []
