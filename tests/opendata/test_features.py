# SPDX-License-Identifier: AGPL-3.0-or-later
"""The features every open surface reads (opendata.features): the selection by bbox,
territory and page, the CRS asked for, and no property that is not declared public."""

import pytest

from carto_concertation.core.modules import FeatureSource, NotAPublicField
from carto_concertation.opendata.collections import Collection, collection_get
from carto_concertation.opendata.features import (
    FeatureQuery,
    collection_extent,
    feature_one,
    features_all,
    features_page,
)
from carto_concertation.territories.datasets import COMMUNES
from tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
BASE = "https://carto.example.org"


def test_communes_paged_selected_by_bbox_and_territory_in_both_crs():
    territory = TerritoryFactory(communes=3)
    other = TerritoryFactory(communes=1)
    communes = collection_get("communes")
    assert communes is not None and communes.module == ""

    first = features_page(communes, FeatureQuery(limit=2), BASE)
    assert first.matched == 4 and len(first.features) == 2
    rest = features_page(communes, FeatureQuery(limit=2, offset=2), BASE)
    ids = [f["id"] for f in first.features + rest.features]
    assert ids == sorted(ids) and len(set(ids)) == 4

    own = features_page(communes, FeatureQuery(territory=territory.siren, limit=10), BASE)
    assert own.matched == 3
    assert {f["properties"]["territory_siren"] for f in own.features} == {territory.siren}

    commune = territory.communes.order_by("pk").first()
    inside = commune.geom.point_on_surface.transform(4326, clone=True)
    box = (inside.x - 1e-4, inside.y - 1e-4, inside.x + 1e-4, inside.y + 1e-4)
    hit = features_page(communes, FeatureQuery(bbox=box, limit=10), BASE)
    assert commune.pk in {f["id"] for f in hit.features}
    assert other.communes.get().pk not in {f["id"] for f in hit.features}

    lambert = feature_one(communes, commune.pk, 2154, BASE)
    x, y = lambert["geometry"]["coordinates"][0][0][0]
    assert 100_000 < x < 1_300_000 and 6_000_000 < y < 7_200_000  # Lambert-93, E then N
    wgs84 = feature_one(communes, commune.pk, 4326, BASE)
    lon, lat = wgs84["geometry"]["coordinates"][0][0][0]
    assert -6 < lon < 10 and 41 < lat < 52
    assert feature_one(communes, "not-a-number", 4326, BASE) is None

    extent = collection_extent(communes)
    west, south, east, north = extent.bbox
    assert west <= inside.x <= east and south <= inside.y <= north
    assert extent.interval is None
    assert len(list(features_all(communes, BASE, batch=3))) == 4


def test_a_property_not_declared_public_is_refused():
    TerritoryFactory(communes=1)
    leaky = FeatureSource(
        rows=COMMUNES.features.rows,
        properties=lambda rows, base: [{"insee": c.insee, "email": "x@example.org"} for c in rows],
    )
    dataset = COMMUNES.__class__(**{**COMMUNES.__dict__, "features": leaky})
    with pytest.raises(NotAPublicField, match="email"):
        features_page(Collection(dataset, ""), FeatureQuery(), BASE)
