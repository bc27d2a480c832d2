# SPDX-License-Identifier: AGPL-3.0-or-later
"""OGC API – Tiles at /ogc/: a collection's tileset list and metadata point at the
existing tile service, whose tile at the templated link draws the collection's features;
the WebMercatorQuad tile matrix set is OGC's."""

import math

import mapbox_vector_tile
import pytest

from carto_concertation.opendata.ogc.tiles import tile_matrix_set
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
