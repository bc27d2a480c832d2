# SPDX-License-Identifier: AGPL-3.0-or-later
"""Residents pin ideas inside the perimeter; the place is checked and joined to the PLUi."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.contributions.models import Contribution, IdeasSettings
from plui_documents.models import Zone

from .conftest import lonlat_in

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/concertations/{slug}/contributions/"


@pytest.fixture
def concertation(small_concertation):
    """The small world's (tests/worlds.py): these checks need no real zoning; the tests
    that do are in test_contribute_on_real_zoning.py, on the demo."""
    return small_concertation


def idea(concertation, geometry, **extra) -> dict:
    return {
        "title": "Une piste cyclable vers la gare",
        "text": "Relier le bourg à la gare par une piste sécurisée.",
        "themes": [concertation.themes.get(name="Mobilité").pk],
        "geometry": geometry,
        **extra,
    }


def test_texts_are_kept_as_typed_and_the_description_sanitised(client, concertation, resident):
    response = client.post(
        URL.format(slug=concertation.slug),
        idea(
            concertation,
            {"type": "Point", "coordinates": lonlat_in("UB")},
            title='<img src=x onerror="alert(1)">Parking',
            text="<script>alert('x')</script>Plus de places <b>près</b> du marché",
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    properties = response.json()["properties"]
    assert properties["title"] == '<img src=x onerror="alert(1)">Parking'
    assert properties["text"] == "<script>alert('x')</script>Plus de places <b>près</b> du marché"
    assert "<script>" not in Concertation.objects.get(pk=concertation.pk).description


def square_ring(lon, lat, d):
    return [[lon, lat], [lon + d, lat + d], [lon + d, lat], [lon, lat + d], [lon, lat]]  # a bow-tie


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [2.35, 48.85]}, "outside the perimeter"),
        (
            {"type": "LineString", "coordinates": [[2.92, 46.83], [2.93, 46.84]]},
            "does not take contributions of this kind",
        ),
        (
            {"type": "Polygon", "coordinates": [square_ring(2.92, 46.83, 0.01)]},
            "Invalid geometry: Self-intersection",
        ),
        ({"type": "Point", "coordinates": [200.0, 46.8]}, "out of range"),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[2.92 + 0.000001 * i, 46.83] for i in range(5001)]
                    + [[2.92, 46.831], [2.92, 46.83]]
                ],
            },
            "Too many vertices",
        ),
    ],
)
def test_bad_places_are_refused_naming_the_field(client, concertation, resident, geometry, message):
    response = client.post(
        URL.format(slug=concertation.slug),
        idea(concertation, geometry),
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()["geometry"])
    assert not Contribution.objects.filter(concertation=concertation).exists()


def test_no_contribution_outside_the_open_phase(client, concertation, resident):
    Phase.objects.filter(concertation=concertation).update(
        starts_at=timezone.now() - timedelta(days=60), ends_at=timezone.now() - timedelta(days=30)
    )
    response = client.post(
        URL.format(slug=concertation.slug),
        idea(concertation, {"type": "Point", "coordinates": lonlat_in("UE")}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "concertation" in response.json()
    assert not Contribution.objects.filter(concertation=concertation).exists()


def test_themes_must_be_the_concertation_s(client, concertation, resident):
    response = client.post(
        URL.format(slug=concertation.slug),
        idea(concertation, {"type": "Point", "coordinates": lonlat_in("UE")}, themes=[999999]),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "themes" in response.json()


def test_anonymous_visitors_read_but_cannot_write(client, concertation):
    assert client.get(URL.format(slug=concertation.slug)).status_code == 200
    response = client.post(
        URL.format(slug=concertation.slug),
        idea(concertation, {"type": "Point", "coordinates": lonlat_in("UE")}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Contribution.objects.filter(concertation=concertation).exists()


def test_before_publication_moderation_hides_new_ideas(client, concertation, resident):
    IdeasSettings.objects.filter(space_module__concertation=concertation).update(
        moderation=IdeasSettings.Moderation.BEFORE
    )
    response = client.post(
        URL.format(slug=concertation.slug),
        idea(concertation, {"type": "Point", "coordinates": lonlat_in("UE")}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["properties"]["status"] == "submitted"
    assert client.get(URL.format(slug=concertation.slug)).json()["features"] == []


def test_a_closing_status_needs_the_official_answer(concertation, resident):
    point = Zone.objects.first().geom.point_on_surface
    contribution = Contribution.objects.create(
        concertation=concertation, title="t", text="x", geom=point, author=resident
    )
    contribution.status = Contribution.Status.RETAINED
    with pytest.raises(IntegrityError):
        contribution.save()


def test_errors_are_in_french_by_default(client, concertation, resident):
    response = client.post(
        URL.format(slug=concertation.slug),
        idea(concertation, {"type": "Point", "coordinates": [2.35, 48.85]}),
        content_type="application/json",
    )
    assert response.json()["geometry"] == ["Le lieu est hors du périmètre de la concertation."]
