# SPDX-License-Identifier: AGPL-3.0-or-later
"""The concertation's public API keeps its keys, values and order now that the ideas'
settings live in the ideas module (issue 16, point 2): the space merges what its modules
add. The expected payload was checked against the code before the move."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from carto_concertation.contributions.models import IdeasSettings
from tests.worlds import small_world

pytestmark = pytest.mark.django_db


def test_the_api_payload_of_a_concertation_keeps_its_keys_values_and_order(client):
    concertation = small_world(
        title="Révision du PLUi",
        accepted_geometries=["line", "area"],
        moderation="before",
        vote_mode="rating",
        themes=[("Mobilité", "#1f77b4")],
    )
    IdeasSettings.objects.filter(space_module__concertation=concertation).update(
        duplicate_distance_m=420
    )
    phase = concertation.phases.get()
    theme = concertation.themes.get()
    detail = client.get(f"/api/v1/concertations/{concertation.slug}/").json()
    properties = detail["properties"]
    assert detail["id"] == "revision-du-plui"
    assert list(properties) == [
        "title",
        "description",
        "charter",
        "territory",
        "status",
        "accepted_geometries",
        "moderation",
        "vote_mode",
        "duplicate_distance_m",
        "plui_document",
        "themes",
        "phases",
        "contributions_open",
        "created_at",
    ]
    assert {key: value for key, value in properties.items() if key != "created_at"} == {
        "title": "Révision du PLUi",
        "description": "",
        "charter": "",
        "territory": concertation.territory.siren,
        "status": "open",
        "accepted_geometries": ["line", "area"],
        "moderation": "before",
        "vote_mode": "rating",
        "duplicate_distance_m": 420,
        "plui_document": concertation.plui_document.idurba,
        "themes": [{"id": theme.pk, "name": "Mobilité", "colour": "#1f77b4", "icon": ""}],
        "phases": [
            {
                "kind": "contributions",
                "starts_at": phase.starts_at.astimezone().isoformat(),
                "ends_at": phase.ends_at.astimezone().isoformat(),
                "current": True,
            }
        ],
        "contributions_open": True,
    }
    assert properties["created_at"]
    listed = client.get("/api/v1/concertations/").json()
    (feature,) = [f for f in listed["features"] if f["id"] == concertation.slug]
    assert feature["properties"] == properties


def test_the_openapi_schema_describes_the_keys_the_modules_add_after_the_status():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    feature = schema["components"]["schemas"]["ConcertationOutput"]["properties"]
    space = feature["properties"]
    assert list(space["properties"])[4:10] == [
        "status",
        "accepted_geometries",
        "moderation",
        "vote_mode",
        "duplicate_distance_m",
        "plui_document",
    ]
    assert space["required"] == list(space["properties"])
    assert space["properties"]["vote_mode"]["enum"] == ["for_against", "support", "rating"]
    assert space["properties"]["accepted_geometries"]["items"]["enum"] == ["point", "line", "area"]
