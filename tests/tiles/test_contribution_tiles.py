# SPDX-License-Identifier: AGPL-3.0-or-later
"""The contributions of a concertation as tiles: points from zoom 13, counts per
commune and PLUi zone below, URL filters, and fresh tiles the moment an idea is pinned."""

import gzip
import json

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.tiles import AGGREGATE_BELOW
from tests.worlds import lonlat_in

from .test_vector_tiles import TILEJSON_3, tile_of

pytestmark = pytest.mark.django_db(transaction=True)
API = "/api/v1/concertations/{slug}/contributions/"


def pin(client, concertation, lonlat, theme="Mobilité", title="Une piste cyclable"):
    response = client.post(
        API.format(slug=concertation.slug),
        {
            "title": title,
            "text": "Relier le bourg à la gare.",
            "themes": [concertation.themes.get(name=theme).pk],
            "geometry": {"type": "Point", "coordinates": lonlat},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    return Contribution.objects.get(pk=response.json()["id"])


def tile_at(client, concertation, lonlat, z, query=""):
    point = Point(*lonlat, srid=4326).transform(3857, clone=True)
    x, y = tile_of(point.x, point.y, z)
    return client.get(
        f"/tiles/contributions-{concertation.slug}/{z}/{x}/{y}.mvt{query}",
        headers={"accept-encoding": "gzip"},
    )


def decode(response) -> dict:
    if response.status_code == 204:
        return {}
    assert response.status_code == 200, response.content
    return mapbox_vector_tile.decode(gzip.decompress(response.content))


def test_points_from_zoom_13_and_counts_per_commune_and_zone_below(
    client,
    concertation,
    resident,
):
    here = lonlat_in("UE")
    first = pin(client, concertation, here)
    pin(client, concertation, here, theme="Habitat", title="Des logements")
    mobility = concertation.themes.get(name="Mobilité").pk

    points = decode(tile_at(client, concertation, here, AGGREGATE_BELOW))
    assert set(points) == {"contributions"}
    features = {f["id"]: f["properties"] for f in points["contributions"]["features"]}
    assert features[first.pk]["theme"] == mobility
    assert features[first.pk]["status"] == "published"
    assert features[first.pk]["title"] == "Une piste cyclable"
    assert "author" not in features[first.pk]  # no personal data in tiles

    counts = decode(tile_at(client, concertation, here, 10))
    assert set(counts) == {"contributions_by_commune", "contributions_by_zone"}
    (commune,) = [
        f["properties"]
        for f in counts["contributions_by_commune"]["features"]
        if f["id"] == first.commune_id
    ]
    assert commune["count"] == 2
    assert commune[f"theme_{mobility}"] == 1
    zone_id = first.zone_links.get().zone_id
    (zone,) = [
        f["properties"] for f in counts["contributions_by_zone"]["features"] if f["id"] == zone_id
    ]
    assert zone["count"] == 2 and zone["libelle"] == "UE"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT commune_id) FROM contributions_contribution "
            "WHERE concertation_id = %s",
            [concertation.pk],
        )
        assert len(counts["contributions_by_commune"]["features"]) == cursor.fetchone()[0]


def test_filters_select_and_are_part_of_the_cache_key(
    client,
    concertation,
    resident,
):
    here = lonlat_in("UE")
    pin(client, concertation, here)
    housing = pin(client, concertation, here, theme="Habitat", title="Des logements")
    theme = concertation.themes.get(name="Habitat").pk

    everything = tile_at(client, concertation, here, 14)
    only_housing = tile_at(client, concertation, here, 14, f"?theme={theme}")
    assert everything["ETag"] != only_housing["ETag"]
    ids = [f["id"] for f in decode(only_housing)["contributions"]["features"]]
    assert ids == [housing.pk]
    assert tile_at(client, concertation, here, 14, "?status=retained").status_code == 204
    published = decode(tile_at(client, concertation, here, 14, "?status=published,under_study"))
    assert len(published["contributions"]["features"]) == 2
    dated = tile_at(client, concertation, here, 14, "?since=2000-01-01&until=2000-12-31")
    assert dated.status_code == 204
    counted = decode(tile_at(client, concertation, here, 10, f"?theme={theme}"))
    assert [f["properties"]["count"] for f in counted["contributions_by_commune"]["features"]] == [
        1
    ]


def test_a_filtered_tilejson_carries_its_filters_into_its_tile_urls(
    client,
    concertation,
    resident,
):
    import jsonschema

    here = lonlat_in("UE")
    pin(client, concertation, here)
    housing = pin(client, concertation, here, theme="Habitat", title="Des logements")
    theme = concertation.themes.get(name="Habitat").pk
    url = f"/tiles/contributions-{concertation.slug}.json"

    document = client.get(url, {"status": "published", "theme": theme}).json()
    jsonschema.validate(document, TILEJSON_3)
    (template,) = document["tiles"]
    assert template.endswith(f"/{{z}}/{{x}}/{{y}}.mvt?theme={theme}&status=published")
    # A client that follows the template gets the filtered tiles.
    point = Point(*here, srid=4326).transform(3857, clone=True)
    x, y = tile_of(point.x, point.y, 14)
    tile_url = template.replace("{z}", "14").replace("{x}", str(x)).replace("{y}", str(y))
    tile = decode(client.get(tile_url, headers={"accept-encoding": "gzip"}))
    assert [f["id"] for f in tile["contributions"]["features"]] == [housing.pk]

    assert client.get(url).json()["tiles"][0].endswith("/{z}/{x}/{y}.mvt")
    refused = client.get(url, {"theme": "999999"})
    assert refused.status_code == 400 and list(refused.json()) == ["theme"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?theme=abc", "theme"),
        ("?theme=999999", "theme"),
        ("?status=withdrawn", "status"),
        ("?status=<script>", "status"),
        ("?since=2026-13-01", "since"),
        ("?since=2026-05-01&until=2026-04-01", "until"),
    ],
)
def test_bad_filters_are_400_naming_the_filter(
    client,
    concertation,
    query,
    field,
):
    response = tile_at(client, concertation, lonlat_in("UE"), 14, query)
    assert response.status_code == 400
    assert field in response.json()


def test_a_filter_the_tileset_does_not_take_is_refused(client, concertation):
    response = client.get("/tiles/communes/10/500/400.mvt?theme=1")
    assert response.status_code == 400
    assert "theme" in response.json()


def test_pinning_an_idea_refreshes_exactly_the_tiles_under_it(
    client,
    concertation,
    resident,
):
    here = lonlat_in("UE")
    far = lonlat_in("N")
    near_before = tile_at(client, concertation, here, 15)
    far_before = tile_at(client, concertation, far, 15)
    counts_before = tile_at(client, concertation, here, 10)
    assert near_before.status_code == far_before.status_code == 204

    pin(client, concertation, here)

    near_after = tile_at(client, concertation, here, 15)
    assert len(decode(near_after)["contributions"]["features"]) == 1
    assert decode(tile_at(client, concertation, here, 10))["contributions_by_commune"]
    assert counts_before.status_code == 204
    # The far tile was not touched: same cached answer, same ETag, 304 on revalidation.
    far_after = client.get(
        far_before.wsgi_request.path, headers={"if-none-match": far_before["ETag"]}
    )
    assert far_after.status_code == 304


def test_hidden_statuses_and_drafts_stay_out(
    client,
    concertation,
    resident,
):
    here = lonlat_in("UE")
    idea = pin(client, concertation, here)
    Contribution.objects.filter(pk=idea.pk).update(status=Contribution.Status.WITHDRAWN)
    from tiles.cache import tileset_touch

    tileset_touch(f"contributions-{concertation.slug}")
    assert tile_at(client, concertation, here, 14).status_code == 204
    Concertation.objects.filter(pk=concertation.pk).update(status=Concertation.Status.DRAFT)
    tileset_touch(f"contributions-{concertation.slug}")
    assert tile_at(client, concertation, here, 14).status_code == 404
    assert client.get(f"/tiles/contributions-{concertation.slug}.json").status_code == 404


def test_one_query_per_tile_and_a_valid_tilejson(
    client,
    concertation,
    resident,
    django_assert_num_queries,
):
    here = lonlat_in("UE")
    pin(client, concertation, here)
    tile_at(client, concertation, here, 14)  # reads the tileset's definition once
    with django_assert_num_queries(1):
        tile_at(client, concertation, here, 12)
    document = client.get(f"/tiles/contributions-{concertation.slug}.json").json()
    import jsonschema

    jsonschema.validate(document, TILEJSON_3)
    layers = {layer["id"]: layer for layer in document["vector_layers"]}
    assert set(layers) == {"contributions", "contributions_by_commune", "contributions_by_zone"}
    mobility = concertation.themes.get(name="Mobilité").pk
    assert layers["contributions_by_commune"]["fields"][f"theme_{mobility}"] == "Number"
    assert layers["contributions"]["fields"]["title"] == "String"
    assert layers["contributions"]["minzoom"] == AGGREGATE_BELOW


def test_the_tilejson_names_the_licence_the_open_data_exports_give(
    client,
    concertation,
    settings,
):
    """The tiles and the exports publish the same contributions: one licence, the site's."""
    from tiles.cache import tileset_touch

    def licences() -> tuple[str, str]:
        tilejson = client.get(f"/tiles/contributions-{concertation.slug}.json").json()
        export = client.get(
            f"/api/v1/concertations/{concertation.slug}/export", {"format": "geojson"}
        )
        exported = json.loads(b"".join(export.streaming_content))
        return tilejson["attribution"], exported["licence"]["name"]

    attribution, exported = licences()
    assert exported == "Licence Ouverte / Open Licence 2.0"
    assert attribution == f"Contributions des participants ({exported})"

    settings.OPEN_DATA_LICENCE = "ODbL 1.0"
    settings.OPEN_DATA_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
    tileset_touch(f"contributions-{concertation.slug}")  # a new version: the layers are read again
    attribution, exported = licences()
    assert exported == "ODbL 1.0"
    assert attribution == "Contributions des participants (ODbL 1.0)"
