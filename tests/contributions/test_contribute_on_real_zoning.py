# SPDX-License-Identifier: AGPL-3.0-or-later
"""A pinned idea is joined to the real PLUi of the demo: its zone, its commune, and the
shares of an area over the zones it covers (the real zoning overlaps a little)."""

import pytest

from .conftest import lonlat_in
from .test_contribute import URL, idea

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_pins_an_idea_that_lands_in_its_zone_and_commune(client, concertation, resident):
    point = lonlat_in("UE")
    response = client.post(
        URL.format(slug=concertation.slug),
        idea(concertation, {"type": "Point", "coordinates": point}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["properties"]["author"] == "Habitant démo"
    assert "habitant@demo.invalid" not in response.content.decode()
    assert feature["properties"]["zones"] == [{"libelle": "UE", "typezone": "U", "share": 1.0}]
    assert feature["properties"]["commune"] == "18242"
    assert feature["properties"]["themes"] == ["Mobilité"]
    assert feature["geometry"]["coordinates"] == pytest.approx(point, abs=1e-6)
    listed = client.get(URL.format(slug=concertation.slug)).json()
    assert [f["id"] for f in listed["features"]] == [feature["id"]]


def test_an_area_is_shared_between_the_zones_it_covers(client, concertation, resident):
    lon, lat = lonlat_in("UA")
    d = 0.004
    ring = [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
    ]
    response = client.post(
        URL.format(slug=concertation.slug),
        idea(concertation, {"type": "Polygon", "coordinates": [ring]}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    zones = response.json()["properties"]["zones"]
    assert len(zones) > 1
    # The real zoning overlaps a little (FID 193 × 204…), so shares may exceed 1 in sum slightly.
    assert 0.99 < sum(z["share"] for z in zones) < 1.05
