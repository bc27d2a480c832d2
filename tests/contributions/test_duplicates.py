# SPDX-License-Identifier: AGPL-3.0-or-later
"""Near-duplicates: suggestions while writing, and the moderators' merge."""

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.models import Contribution, IdeasSettings
from carto_concertation.contributions.services import vote_cast
from carto_concertation.engagement.models import Comment, ModerationAction, Vote
from tests.factories import UserFactory

from .conftest import make_idea, point_in, url

pytestmark = pytest.mark.django_db

TITLE = "Piste cyclable vers la gare"
TEXT = "Relier le bourg à la gare par une piste sécurisée pour les vélos."


def shifted(point: Point, metres_east: float) -> Point:
    """``point`` (WGS84) moved east by some metres (in Lambert-93)."""
    moved = point.transform(settings.SRID, clone=True)
    moved = Point(moved.x + metres_east, moved.y, srid=settings.SRID)
    moved.transform(4326)
    return moved


@pytest.fixture
def cycle_path(open_concertation):
    return make_idea(open_concertation, UserFactory(), title=TITLE, text=TEXT)


def similar(client, concertation, **params):
    return client.get(url(concertation, "similar"), params, headers={"accept-language": "en"})


def test_a_similar_idea_close_by_is_suggested(client, open_concertation, cycle_path):
    make_idea(
        open_concertation, UserFactory(), title="Des bancs au jardin public", text="Pour s'asseoir."
    )
    near = shifted(point_in("UE"), 60)
    response = similar(
        client,
        open_concertation,
        lon=near.x,
        lat=near.y,
        title="Une piste pour vélos jusqu'à la gare",
    )
    assert response.status_code == 200, response.json()
    features = response.json()["features"]
    assert [f["id"] for f in features] == [cycle_path.pk]
    assert 55 < features[0]["properties"]["distance_m"] < 65
    assert features[0]["properties"]["similarity"] >= 0.3
    assert features[0]["geometry"]["type"] == "Point"


def test_a_geometry_may_be_given_instead_of_lon_lat(client, open_concertation, cycle_path):
    here = point_in("UE")
    response = similar(
        client,
        open_concertation,
        geometry=f'{{"type": "Point", "coordinates": [{here.x}, {here.y}]}}',
        text="piste cyclable gare",
    )
    assert [f["id"] for f in response.json()["features"]] == [cycle_path.pk]


def test_only_within_the_concertation_s_distance(client, open_concertation, cycle_path):
    far = shifted(point_in("UE"), 400)
    assert (
        similar(client, open_concertation, lon=far.x, lat=far.y, title=TITLE).json()["features"]
        == []
    )
    IdeasSettings.objects.filter(space_module__concertation=open_concertation).update(
        duplicate_distance_m=500
    )
    found = similar(client, open_concertation, lon=far.x, lat=far.y, title=TITLE).json()
    assert [f["id"] for f in found["features"]] == [cycle_path.pk]


@pytest.mark.parametrize("status", ["submitted", "hidden", "withdrawn"])
def test_ideas_that_are_not_public_are_never_suggested(
    client, open_concertation, cycle_path, status
):
    Contribution.objects.filter(pk=cycle_path.pk).update(status=status, moderation_reason="x")
    here = point_in("UE")
    assert (
        similar(client, open_concertation, lon=here.x, lat=here.y, title=TITLE).json()["features"]
        == []
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"title": TITLE}, "geometry"),
        ({"lon": 2.9, "title": TITLE}, "geometry"),
        ({"lon": 2.92, "lat": 46.83}, "title"),
        ({"lon": 200, "lat": 46.83, "title": TITLE}, "lon"),
        ({"lon": 2.35, "lat": 48.85, "title": TITLE}, "geometry"),
        ({"geometry": "not json", "title": TITLE}, "geometry"),
    ],
)
def test_bad_suggestion_queries_name_the_parameter(client, open_concertation, params, field):
    response = similar(client, open_concertation, **params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.fixture
def twins(open_concertation):
    kept = make_idea(open_concertation, UserFactory(), title=TITLE, text=TEXT)
    merged = make_idea(
        open_concertation, UserFactory(), title="Une piste vélo pour la gare", text="Idem.", nth=1
    )
    return kept, merged


def merge(client, concertation, merged, into, **extra):
    return client.post(
        url(concertation, "merge", merged.pk),
        {"into": into.pk, "reason": "Deux fois la même idée.", **extra},
        content_type="application/json",
        headers={"accept-language": "en"},
    )


def test_a_merge_keeps_every_vote_once_and_every_comment(
    client,
    open_concertation,
    twins,
    moderator,
    eager_tasks,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    kept, merged = twins
    both, only_merged, only_kept = UserFactory(), UserFactory(), UserFactory()
    for voter, ideas in ((both, (kept, merged)), (only_merged, (merged,)), (only_kept, (kept,))):
        for idea in ideas:
            vote_cast(contribution=idea, voter=voter, value=1)
    thread = comment_create(contribution=merged, author=UserFactory(), text="Oui !")
    comment_create(contribution=merged, author=UserFactory(), text="Et moi", parent=thread)
    comment_create(contribution=kept, author=UserFactory(), text="Bien")

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = merge(client, open_concertation, merged, kept)
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == kept.pk
    assert response.json()["properties"]["votes_for"] == 3
    assert response.json()["properties"]["comment_count"] == 3

    assert sorted(Vote.objects.filter(contribution=kept).values_list("voter", flat=True)) == sorted(
        [both.pk, only_merged.pk, only_kept.pk]
    )
    assert not Vote.objects.filter(contribution=merged).exists()
    assert Comment.objects.filter(contribution=kept).count() == 3
    assert Comment.objects.get(text="Et moi").parent_id == thread.pk

    client.logout()
    pointer = client.get(url(open_concertation, pk=merged.pk)).json()["properties"]
    assert (pointer["status"], pointer["merged_into"], pointer["votes_for"]) == (
        "merged",
        kept.pk,
        0,
    )
    log = client.get(f"/api/v1/concertations/{open_concertation.slug}/moderation/log").json()
    entry = log["results"][0]
    assert (entry["action"], entry["role"], entry["contribution"], entry["merged_into"]) == (
        "merge",
        "moderator",
        merged.pk,
        kept.pk,
    )
    assert [m.to for m in mailoutbox] == [[merged.author.email]]
    # The merged idea takes no more votes.
    client.force_login(UserFactory())
    vote = client.put(
        url(open_concertation, "vote", merged.pk), {"value": 1}, content_type="application/json"
    )
    assert vote.status_code == 400


def test_a_person_against_one_and_for_the_other_keeps_the_kept_idea_s_vote(
    client, open_concertation, twins, moderator
):
    IdeasSettings.objects.filter(space_module__concertation=open_concertation).update(
        vote_mode=IdeasSettings.VoteMode.FOR_AGAINST
    )
    kept, merged = twins
    voter = UserFactory()
    vote_cast(contribution=kept, voter=voter, value=-1)
    vote_cast(contribution=merged, voter=voter, value=1)
    vote_cast(contribution=merged, voter=UserFactory(), value=-1)
    client.force_login(moderator)
    assert merge(client, open_concertation, merged, kept).status_code == 200
    kept.refresh_from_db()
    assert (kept.votes_for, kept.votes_against) == (0, 2)
    assert Vote.objects.get(contribution=kept, voter=voter).value == -1


def test_ratings_are_summed_again(client, open_concertation, twins, moderator):
    IdeasSettings.objects.filter(space_module__concertation=open_concertation).update(
        vote_mode=IdeasSettings.VoteMode.RATING
    )
    kept, merged = twins
    vote_cast(contribution=kept, voter=UserFactory(), value=2)
    vote_cast(contribution=merged, voter=UserFactory(), value=-1)
    client.force_login(moderator)
    assert merge(client, open_concertation, merged, kept).status_code == 200
    kept.refresh_from_db()
    assert (kept.rating_sum, kept.rating_count, kept.votes_for) == (1, 2, 0)


@pytest.mark.parametrize(
    "who", ["habitant@demo.invalid", "urbanisme@demo.invalid", "relais@demo.invalid"]
)
def test_only_moderators_merge(client, open_concertation, twins, who):
    from .conftest import demo_user

    kept, merged = twins
    client.force_login(demo_user(who))
    assert merge(client, open_concertation, merged, kept).status_code == 403
    merged.refresh_from_db()
    assert merged.status == "published"


def test_bad_merges_are_refused(client, open_concertation, twins, moderator):
    kept, merged = twins
    client.force_login(moderator)
    assert "into" in merge(client, open_concertation, merged, merged).json()
    response = client.post(
        url(open_concertation, "merge", merged.pk),
        {"into": 999_999_999},
        content_type="application/json",
    )
    assert response.status_code == 400 and "into" in response.json()
    Contribution.objects.filter(pk=kept.pk).update(status="hidden", moderation_reason="x")
    response = merge(client, open_concertation, merged, kept)
    assert response.status_code == 400 and "into" in response.json()
    assert not ModerationAction.objects.filter(concertation=open_concertation).exists()
    merged.refresh_from_db()
    assert merged.status == "published" and merged.merged_into is None
