# SPDX-License-Identifier: AGPL-3.0-or-later
"""Malformed input is a 4xx naming the field, never a 500, and writes nothing."""

import json

import pytest

from carto_concertation.contributions.models import Contribution
from carto_concertation.engagement.models import Comment, Report, Vote
from tests.factories import ConcertationFactory, UserFactory

from .conftest import make_idea, point_in, url

pytestmark = pytest.mark.django_db


def body(concertation, **extra) -> dict:
    here = point_in("UE")
    return {
        "title": "Titre",
        "text": "Texte",
        "themes": [],
        "geometry": {"type": "Point", "coordinates": [here.x, here.y]},
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"geometry": "garbage"}, "geometry"),
        ({"geometry": {"type": "Point", "coordinates": []}}, "geometry"),
        ({"geometry": {"type": "Point", "coordinates": ["a", "b"]}}, "geometry"),
        ({"geometry": {"type": "Point"}}, "geometry"),
        ({"geometry": {"type": "MultiPoint", "coordinates": [[2.9, 46.8]]}}, "geometry"),
        ({"geometry": {"type": "GeometryCollection", "geometries": []}}, "geometry"),
        (
            {"geometry": {"type": "Polygon", "coordinates": [[[2.9, 46.8], [2.91, 46.8]]]}},
            "geometry",
        ),
        ({"geometry": None}, "geometry"),
        ({"title": "x" * 141}, "title"),
        ({"title": " \x07\t"}, "title"),
        ({"text": ""}, "text"),
        ({"themes": "Mobilité"}, "themes"),
        ({"themes": ["abc"]}, "themes"),
    ],
)
def test_malformed_contributions_are_refused_by_field(
    client, open_concertation, author, extra, field
):
    response = client.post(
        url(open_concertation), body(open_concertation, **extra), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Contribution.objects.filter(concertation=open_concertation).exists()


def test_a_height_is_refused_by_field(client, open_concertation, author):
    here = point_in("UE")
    with_height = {"type": "Point", "coordinates": [here.x, here.y, 172.5]}
    response = client.post(
        url(open_concertation),
        body(open_concertation, geometry=with_height),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "(Z)" in response.json()["geometry"][0]  # a height, in either language
    assert not Contribution.objects.filter(concertation=open_concertation).exists()


def test_a_body_that_is_not_json_is_a_400(client, open_concertation, author):
    response = client.post(url(open_concertation), "{not json", content_type="application/json")
    assert response.status_code == 400


def test_a_nan_coordinate_is_refused(client, open_concertation, author):
    response = client.post(
        url(open_concertation),
        '{"title": "t", "text": "t", "geometry": {"type": "Point", "coordinates": [NaN, 46.8]}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Contribution.objects.filter(concertation=open_concertation).exists()


def test_unknown_ids_are_404_not_500(client, open_concertation, author):
    assert client.get(url(open_concertation, pk=999_999_999)).status_code == 404
    assert client.post(url(open_concertation, "withdraw", 999_999_999)).status_code == 404
    assert client.get("/api/v1/concertations/nope/contributions/").status_code == 404
    assert client.get("/api/v1/photos/999999999.jpg").status_code == 404


def test_a_contribution_of_another_concertation_is_not_reachable_through_this_one(
    client, open_concertation, author
):
    other = ConcertationFactory(
        territory=open_concertation.territory,
        plui_document=open_concertation.plui_document,
        title="Une autre concertation",
    )
    idea = make_idea(other, author)
    assert client.get(url(open_concertation, pk=idea.pk)).status_code == 404
    assert client.post(url(open_concertation, "withdraw", idea.pk)).status_code == 404


def test_script_in_every_text_is_stored_as_typed_and_shown_inert(client, open_concertation, author):
    injected = '<img src=x onerror="alert(1)"><script>alert(2)</script>Texte'
    created = client.post(
        url(open_concertation),
        body(open_concertation, title=injected, text=injected),
        content_type="application/json",
    )
    assert created.status_code == 201
    idea = Contribution.objects.get(pk=created.json()["id"])
    client.post(
        url(open_concertation, "comments/", idea.pk),
        {"text": injected},
        content_type="application/json",
    )
    client.force_login(UserFactory())
    client.post(
        url(open_concertation, "report", idea.pk),
        {"reason": injected},
        content_type="application/json",
    )
    stored = [
        idea.title,
        idea.text,
        Comment.objects.get(contribution=idea).text,
        Report.objects.get(contribution=idea).reason,
    ]
    assert stored == [injected] * 4
    client.logout()
    page = client.get(f"/concertations/{open_concertation.slug}/").content.decode()
    assert injected not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;Texte" in page


def test_no_vote_on_a_hidden_contribution(client, open_concertation, author):
    idea = make_idea(open_concertation, UserFactory())
    Contribution.objects.filter(pk=idea.pk).update(status="hidden", moderation_reason="Hors charte")
    response = client.put(
        url(open_concertation, "vote", idea.pk), {"value": 1}, content_type="application/json"
    )
    assert response.status_code == 400 and "contribution" in response.json()
    assert not Vote.objects.filter(contribution=idea).exists()


def _odd_geometries() -> list:
    """Geometries a fuzzer sends that are no GeoJSON place: WKT, EWKT in another SRID,
    WKB, an empty point or line, non-finite or absurd numbers."""
    return [
        "POINT(2.9 46.8)",
        "SRID=2154;POINT(700000 6600000)",
        "0101000000333333333333074066666666666647 40",
        "0101000000333333333333074066666666666647" + "40",
        '{"type": "Point", "coordinates": []}',
        {"type": "LineString", "coordinates": []},
        {"type": "LineString", "coordinates": [[2.9, 46.8]]},
        {"type": "Point", "coordinates": [2.9, 10**400]},
        {"type": "Point", "coordinates": [True, 46.8]},
        {"type": "Polygon", "coordinates": [[]]},
        {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": []}]},
        '{"type": "Point", "coordinates": [Infinity, 46.8]}',
        "[" * 5000 + "]" * 5000,
    ]


@pytest.mark.parametrize("geometry", _odd_geometries())
def test_odd_geometries_are_a_400_naming_geometry(client, open_concertation, author, geometry):
    response = client.post(
        url(open_concertation),
        body(open_concertation, geometry=geometry),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "geometry" in response.json()
    assert not Contribution.objects.filter(concertation=open_concertation).exists()


@pytest.mark.parametrize("geometry", _odd_geometries())
def test_odd_geometries_in_a_multipart_form_are_a_400(client, open_concertation, author, geometry):
    data = body(open_concertation, geometry=geometry)
    data["geometry"] = geometry if isinstance(geometry, str) else json.dumps(geometry)
    data.pop("themes")
    response = client.post(url(open_concertation), data)
    assert response.status_code == 400, response.content
    assert "geometry" in response.json()


@pytest.mark.parametrize("geometry", _odd_geometries())
def test_odd_geometries_in_the_similar_ideas_search_are_a_400(client, open_concertation, geometry):
    if not isinstance(geometry, str):
        geometry = json.dumps(geometry)
    response = client.get(
        url(open_concertation, "similar"), {"geometry": geometry, "title": "Vélo"}
    )
    assert response.status_code == 400, response.content
    assert "geometry" in response.json()


def test_an_idea_cannot_be_moved_to_an_empty_place(client, open_concertation, author):
    idea = make_idea(open_concertation, author)
    response = client.patch(
        url(open_concertation, pk=idea.pk),
        {"geometry": "POINT EMPTY"},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "geometry" in response.json()
    idea.refresh_from_db()
    assert not idea.geom.empty
