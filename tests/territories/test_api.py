# SPDX-License-Identifier: AGPL-3.0-or-later
import pytest

from tests.factories import CommuneFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def test_communes_are_geojson_in_wgs84_in_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    territory = TerritoryFactory()
    CommuneFactory.create_batch(5, territory=territory)

    with django_assert_num_queries(2):  # count + page, whatever the number of communes
        response = client.get("/api/v1/communes/", {"territory": territory.siren})

    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 5
    lon, lat = body["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 2.8 < lon < 4.3 and 46.7 < lat < 47.8  # degrees near Sancoins, not metres
    assert set(body["features"][0]["properties"]) == {"insee", "name", "population", "territory"}


def test_a_territory_is_found_by_siren(client):
    territory = TerritoryFactory()
    response = client.get(f"/api/v1/territories/{territory.siren}/")
    assert response.status_code == 200
    assert response.json()["properties"]["name"] == territory.name


def test_reference_data_is_read_only(client):
    territory = TerritoryFactory()
    response = client.delete(f"/api/v1/territories/{territory.siren}/")
    assert response.status_code in (403, 405)


def test_the_openapi_schema_and_docs_are_served_locally(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/communes/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"cdn.jsdelivr" not in docs.content
