# SPDX-License-Identifier: AGPL-3.0-or-later
"""OGC API – Tiles at /ogc/: a collection's tileset list and metadata point at the
existing tile service, whose tile at the templated link draws the collection's features;
the WebMercatorQuad tile matrix set is OGC's."""

import json
import math

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import GEOSGeometry

from carto_concertation.core.modules import datasets
from carto_concertation.opendata.collections import collections
from carto_concertation.opendata.ogc.documents import REL_TILESETS
from carto_concertation.opendata.ogc.tiles import tile_matrix_set
from tests.demo_snapshot import demo_load
from tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
MVT = "application/vnd.mapbox-vector-tile"


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    col = int((lon + 180) / 360 * n)
    row = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return col, row


def test_the_tileset_links_the_tile_service_whose_tile_draws_the_commune(client):
    commune = TerritoryFactory(communes=2).communes.order_by("pk").first()
    listed = client.get("/ogc/collections/communes/tiles").json()
    [summary] = listed["tilesets"]
    assert summary["dataType"] == "vector"
    assert summary["tileMatrixSetURI"].endswith("/tilematrixset/OGC/1.0/WebMercatorQuad")
    own = next(link for link in summary["links"] if link["rel"] == "self")
    assert own["href"].endswith("/ogc/collections/communes/tiles/WebMercatorQuad")

    tileset = client.get(own["href"]).json()
    item = next(link for link in tileset["links"] if link["rel"] == "item")
    assert item["type"] == MVT and item["templated"] is True
    assert item["href"] == (
        "http://testserver/tiles/communes/{tileMatrix}/{tileCol}/{tileRow}.mvt"
    )  # the tile service's own path: no second one
    assert [layer["id"] for layer in tileset["layers"]] == ["communes"]
    assert tileset["layers"][0]["geometryType"] == "polygons"

    centre = commune.geom.point_on_surface.transform(4326, clone=True)
    z = 12
    col, row = tile_of(centre.x, centre.y, z)
    limits = {limit["tileMatrix"]: limit for limit in tileset["tileMatrixSetLimits"]}
    assert limits[str(z)]["maxTileCol"] == 2**z - 1
    path = item["href"].removeprefix("http://testserver")
    tile = client.get(path.format(tileMatrix=z, tileCol=col, tileRow=row))
    assert tile.status_code == 200 and tile["Content-Type"] == MVT
    drawn = mapbox_vector_tile.decode(tile.content)
    assert commune.insee in {f["properties"].get("insee") for f in drawn["communes"]["features"]}


def test_web_mercator_quad():
    tms = tile_matrix_set()
    assert tms["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    zero, twelve = tms["tileMatrices"][0], tms["tileMatrices"][12]
    assert zero["matrixWidth"] == 1 and twelve["matrixWidth"] == 4096
    assert round(zero["scaleDenominator"], 4) == 559082264.0287
    assert zero["pointOfOrigin"] == [-20037508.3427892, 20037508.3427892]


def test_tile_matrix_sets_are_listed(client):
    listed = client.get("/ogc/tileMatrixSets").json()
    assert [tms["id"] for tms in listed["tileMatrixSets"]] == ["WebMercatorQuad"]
    one = client.get("/ogc/tileMatrixSets/WebMercatorQuad").json()
    assert one["id"] == "WebMercatorQuad" and len(one["tileMatrices"]) == 25
    landing = client.get("/ogc/").json()
    assert any(link["href"].endswith("/ogc/tileMatrixSets") for link in landing["links"])


HALF_WIDTH = 20037508.342789244  # of the Web Mercator square, in metres


def drawable(geom: GEOSGeometry, unit: float) -> bool:
    """A point, or a line or an area at least two units of the tile's grid across."""
    if geom.geom_type in ("Point", "MultiPoint"):
        return True
    xmin, ymin, xmax, ymax = geom.transform(3857, clone=True).extent
    return max(xmax - xmin, ymax - ymin) >= 2 * unit


def every_item(client, collection_id: str) -> dict[int, GEOSGeometry]:
    """Every feature of a collection, page by page, by id (CRS84)."""
    found, url = {}, f"/ogc/collections/{collection_id}/items?limit=1000"
    while url:
        page = client.get(url).json()
        for feature in page["features"]:
            if feature["geometry"]:
                found[feature["id"]] = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
        following = [link["href"] for link in page["links"] if link["rel"] == "next"]
        url = following[0].removeprefix("http://testserver") if following else None
    return found


@pytest.mark.django_db(transaction=True)
def test_every_collection_of_the_demo_has_tiles_drawing_its_features_and_no_other(
    client, settings, tmp_path
):
    """OGC API – Tiles for every dataset: each collection of the demo (the backbone's and
    every module's) links a tileset whose tiles, at the templated link, draw each of its
    features; a tileset of one layer draws nothing the collection does not list (hidden
    means hidden on the tiles too)."""
    settings.MEDIA_ROOT = tmp_path
    demo_load()
    listed = client.get("/ogc/collections").json()["collections"]
    assert {entry["id"] for entry in listed} == {c.id for c in collections()}
    checked = set()
    for entry in listed:
        collection_id = entry["id"]
        assert any(link["rel"] == REL_TILESETS for link in entry["links"]), collection_id
        tileset = client.get(f"/ogc/collections/{collection_id}/tiles/WebMercatorQuad").json()
        template = next(link["href"] for link in tileset["links"] if link["rel"] == "item")
        template = template.removeprefix("http://testserver")
        layers = tileset["layers"]
        z = max(
            max(int(layer["minTileMatrix"]) for layer in layers),
            min(14, *(int(layer["maxTileMatrix"]) for layer in layers)),
        )
        items = every_item(client, collection_id)
        if not items:  # the demo's PLUi has no information of every shape
            continue
        checked.add(collection_id)
        # MVT draws no line or area smaller than its grid (4096 units a tile): the real
        # PLUi has prescriptions of a few centimetres.
        unit = 2 * HALF_WIDTH / 2**z / 4096
        ids = sorted(pk for pk, geom in items.items() if drawable(geom, unit))
        assert ids, collection_id
        for pk in ids[:: max(len(ids) // 20, 1)]:
            centre = items[pk].point_on_surface
            col, row = tile_of(centre.x, centre.y, z)
            tile = client.get(template.format(tileMatrix=z, tileCol=col, tileRow=row))
            assert tile.status_code == 200, (collection_id, pk, tile.status_code)
            drawn = mapbox_vector_tile.decode(tile.content)
            found = {f["id"] for layer in drawn.values() for f in layer["features"]}
            assert pk in found, (collection_id, pk)
            if len(layers) == 1:
                assert found <= set(items), (collection_id, found - set(items))
    every_module_s = {dataset.name for _module, dataset in datasets()}
    assert every_module_s | {"communes", "zone_urba", "prescription_surf"} <= checked
