# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ballot through the API (PUT/GET /api/v1/budgets/editions/<slug>/ballot): casting,
changing (never a second ballot), and each refusal (400 naming the field, 403 not
eligible, 409 outside the vote) writing nothing."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carto_concertation.budgets.models import Ballot, Edition, EditionPhase, Participation
from tests.factories import UserFactory

from .ballots_world import make_world, stored, world_fixture, written  # noqa: F401

pytestmark = pytest.mark.django_db


def url(edition) -> str:
    return f"/api/v1/budgets/editions/{edition.slug}/ballot"


def put(client, edition, numbers=(), *, choices=None, **declared):
    data = {
        "resident": True,
        "of_age": True,
        "choices": choices if choices is not None else [{"project": n} for n in numbers],
        **declared,
    }
    return client.put(url(edition), data, content_type="application/json")


def test_a_resident_casts_then_changes_their_ballot(client, world):
    client.force_login(world.resident)
    response = put(client, world.edition, [1, 2])
    assert response.status_code == 200, response.content
    assert response.json()["voted"] is True
    assert [c["project"] for c in response.json()["choices"]] == [1, 2]
    participation = Participation.objects.get()
    assert participation.user == world.resident and participation.age_declared
    ballot = Ballot.objects.get()
    assert ballot.channel == Ballot.Channel.ONLINE and len(ballot.voter_key) == 64
    # A second cast changes the same ballot: still one of each.
    response = put(client, world.edition, [3])
    assert response.status_code == 200, response.content
    assert written() == (1, 1, 1)
    assert stored(Ballot.objects.get()) == [(3, 1, None)]
    mine = client.get(url(world.edition)).json()
    assert mine["choices"] == [{"project": 3, "points": 1, "rank": None}]
    assert mine["vote_open"] is True


REFUSALS = [
    # (what, the ballot, the field named, the status)
    ("over the envelope", {"numbers": [1, 2, 3]}, "choices", 400),
    ("too many", {"numbers": [1, 2, 3, 4]}, "choices", 400),
    ("too few", {"numbers": []}, "choices", 400),
    ("unknown project", {"numbers": [1, 99]}, "choices", 400),
    ("not on the ballot", {"numbers": [6]}, "choices", 400),
    ("twice the same", {"numbers": [1, 1]}, "choices", 400),
    ("not a resident", {"numbers": [1], "resident": False}, "resident", 403),
    ("under age", {"numbers": [1], "of_age": False}, "of_age", 403),
    ("unknown district", {"numbers": [1], "district": 999_999}, "district", 400),
    ("not a number", {"choices": [{"project": "un"}]}, "choices", 400),
]


@pytest.mark.parametrize(
    ("what", "ballot", "field", "status"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_a_refused_ballot_writes_nothing(client, world, what, ballot, field, status):
    client.force_login(world.resident)
    assert put(client, world.edition, [1]).status_code == 200
    before = written()
    numbers = ballot.pop("numbers", ())
    response = put(client, world.edition, numbers, **ballot)
    assert response.status_code == status, response.content
    assert field in response.json(), response.json()
    assert written() == before
    # The ballot cast before is kept as it was.
    assert stored(Ballot.objects.get()) == [(1, 1, None)]


@pytest.mark.parametrize("when", ["before", "after", "none"])
def test_outside_the_vote_phase_is_a_409(client, world, when):
    phase = world.edition.phases.get(kind=EditionPhase.Kind.VOTE)
    now = timezone.now()
    if when == "before":
        phase.starts_at, phase.ends_at = now + timedelta(days=1), now + timedelta(days=8)
        phase.save()
    elif when == "after":
        phase.starts_at, phase.ends_at = now - timedelta(days=8), now - timedelta(minutes=1)
        phase.save()
    else:
        phase.delete()
    client.force_login(world.resident)
    response = put(client, world.edition, [1])
    assert response.status_code == 409
    assert "edition" in response.json()
    assert written() == (0, 0, 0)


def test_anonymous_may_not_vote_and_an_unpublished_edition_is_not_found(client, world):
    assert put(client, world.edition, [1]).status_code == 403
    world.edition.is_published = False
    world.edition.save()
    client.force_login(world.resident)
    assert put(client, world.edition, [1]).status_code == 404
    assert written() == (0, 0, 0)


def test_split_by_district_a_project_of_another_district_is_refused():
    world = make_world(split_by_district=True, within_envelope=False)

    voter = UserFactory()

    client = Client()
    client.force_login(voter)
    # No district declared: the district is asked.
    response = put(client, world.edition, [1])
    assert response.status_code == 400 and "district" in response.json()
    response = put(client, world.edition, [1, 5], district=world.first.pk)
    assert response.status_code == 400 and "choices" in response.json()
    assert "5" in response.json()["choices"][0]
    assert written() == (0, 0, 0)
    response = put(client, world.edition, [5], district=world.second.pk)
    assert response.status_code == 200, response.content
    assert Participation.objects.get().district == world.second
    assert Ballot.objects.get().district == world.second


def test_the_district_from_a_point():
    world = make_world(address_in_district_required=True)

    client = Client()
    client.force_login(UserFactory())
    centre = world.second.geom.point_on_surface.transform(4326, clone=True)
    response = put(client, world.edition, [1], longitude=centre.x, latitude=centre.y)
    assert response.status_code == 200, response.content
    assert Participation.objects.get().district == world.second
    response = put(client, world.edition, [1], longitude=-60.0, latitude=10.0)
    assert response.status_code == 400 and "district" in response.json()


def test_cumulative_ballots():
    world = make_world(
        ballot_type=Edition.BallotType.CUMULATIVE,
        max_points_per_project=3,
        max_points_total=5,
        within_envelope=False,
        max_choices=0,
    )

    client = Client()
    client.force_login(UserFactory())
    for choices in (
        [{"project": 1, "points": 4}],
        [{"project": 1, "points": 3}, {"project": 2, "points": 3}],
        [{"project": 1, "points": 0}],
    ):
        response = put(client, world.edition, choices=choices)
        assert response.status_code == 400 and "choices" in response.json(), choices
    assert written() == (0, 0, 0)
    response = put(
        client, world.edition, choices=[{"project": 1, "points": 3}, {"project": 2, "points": 2}]
    )
    assert response.status_code == 200, response.content
    assert stored(Ballot.objects.get()) == [(1, 3, None), (2, 2, None)]


def test_ordinal_ballots():
    world = make_world(ballot_type=Edition.BallotType.ORDINAL, within_envelope=False)

    client = Client()
    client.force_login(UserFactory())
    for choices in (
        [{"project": 1, "rank": 1}, {"project": 2, "rank": 1}],
        [{"project": 1, "rank": 2}],
        [{"project": 1}],
        [{"project": n, "rank": n} for n in (1, 2, 3, 4)],
    ):
        response = put(client, world.edition, choices=choices)
        assert response.status_code == 400 and "choices" in response.json(), choices
    assert written() == (0, 0, 0)
    response = put(
        client, world.edition, choices=[{"project": 3, "rank": 1}, {"project": 1, "rank": 2}]
    )
    assert response.status_code == 200, response.content
    assert stored(Ballot.objects.get()) == [(1, 1, 2), (3, 1, 1)]
