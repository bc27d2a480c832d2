# SPDX-License-Identifier: AGPL-3.0-or-later
"""Odd input found by fuzzing is a 400 naming where it is, never a 500: a NUL byte in a
path or a query parameter, a JSON body nested thousands of levels deep."""

import json

import pytest

from carto_concertation.contributions.models import Contribution
from carto_concertation.workshops.models import Workshop

pytestmark = pytest.mark.django_db

NUL = "\x00"


@pytest.mark.parametrize(
    ("path", "query", "place"),
    [
        ("/api/v1/communes/", {"territory": NUL}, "territory"),
        ("/api/v1/communes/", {"insee": f"18{NUL}"}, "insee"),
        ("/api/v1/communes/18242\x00/", {}, "path"),
        ("/api/v1/territories/241800432\x00/", {}, "path"),
        ("/api/v1/zoning/documents/\x00/", {}, "path"),
        ("/api/v1/zoning/reglement/search", {"q": f"haie{NUL}"}, "q"),
        ("/api/v1/concertations/\x00/", {}, "path"),
        ("/api/v1/concertations/{slug}/contributions/", {"search": NUL}, "search"),
        ("/api/v1/concertations/{slug}/contributions/", {"commune": NUL}, "commune"),
        ("/api/v1/concertations/{slug}/contributions/similar", {"title": NUL}, "title"),
        ("/api/v1/concertations/{slug}/export", {"format": f"csv{NUL}"}, "format"),
        ("/concertations/\x00/", {}, "path"),
    ],
)
def test_a_nul_byte_in_the_path_or_the_query_is_a_400_naming_it(
    client, open_concertation, path, query, place
):
    response = client.get(path.format(slug=open_concertation.slug), query)

    assert response.status_code == 400, response.content
    assert place in response.json()


def test_a_nul_byte_in_a_workshop_field_is_a_400_naming_it(client, open_concertation, relay):
    body = {
        "concertation": open_concertation.slug,
        "commune": f"18242{NUL}",
        "starts_at": "2030-01-01T10:00:00Z",
        "place": "Salle des fêtes",
        "facilitator": "Relais",
    }
    response = client.post("/api/v1/workshops/", body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert "commune" in response.json()
    response = client.post(
        "/api/v1/workshops/",
        {**body, "commune": "18242", "concertation": NUL},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "concertation" in response.json()
    assert not Workshop.objects.exists()


@pytest.mark.parametrize(("top", "deep"), [("[", "body"), ('{"geometry": [', "geometry")])
def test_a_json_body_nested_50000_deep_is_a_400(client, open_concertation, relay, top, deep):
    body = top + "[" * 50_000 + "]" * 50_000 + ("]" if top == "[" else "]}")
    response = client.post(
        f"/api/v1/concertations/{open_concertation.slug}/contributions/",
        body,
        content_type="application/json",
    )

    assert response.status_code == 400, response.content
    assert deep in response.json()
    assert not Contribution.objects.filter(concertation=open_concertation).exists()


def test_a_json_body_of_ordinary_depth_still_goes_through(client, open_concertation, relay):
    here = open_concertation.perimeter.point_on_surface.transform(4326, clone=True)
    body = {"title": "Titre", "text": "Texte", "geometry": {"type": "Point", "coordinates": []}}
    body["geometry"]["coordinates"] = [here.x, here.y]
    response = client.post(
        f"/api/v1/concertations/{open_concertation.slug}/contributions/",
        json.dumps({**body, "title": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ {{{"}),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content


@pytest.mark.parametrize("path", ["/api/v1/concertations/a b/stats", "/api/v1/nowhere"])
def test_a_path_of_no_route_under_the_api_is_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_page_of_no_route_is_still_the_html_404(client):
    response = client.get("/nowhere/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_every_operation_documents_its_refusals(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "403", "404", "429"} <= set(operation["responses"]), (method, path)
