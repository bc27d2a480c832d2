# SPDX-License-Identifier: AGPL-3.0-or-later
"""Raster tiles from a COG; context layers and communes as vector tiles."""

import math
from io import BytesIO
from pathlib import Path

import mapbox_vector_tile
import pytest
import rasterio
from django.core.files.uploadedfile import SimpleUploadedFile

from layers.services import (
    context_layer_import,
    layer_settings_update,
    raster_layer_create,
    raster_layer_process,
)
from tests.demo_snapshot import demo_load
from tiles.mvt import WEB_MERCATOR_WIDTH

from .test_vector_tiles import TILEJSON_3

ROOT = Path(__file__).resolve().parent.parent.parent
HALF = WEB_MERCATOR_WIDTH / 2


def tile_of_lonlat(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int(
        (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    )


@pytest.fixture
def raster(data_dir):
    upload = SimpleUploadedFile("byte.tif", (data_dir / "raster" / "byte.tif").read_bytes())
    layer = raster_layer_create(name="plan", title="Plan", attribution="Test", upload=upload)
    return raster_layer_process(layer_id=layer.pk)


@pytest.mark.django_db
def test_a_raster_tile_is_a_transparent_png_of_256_pixels(client, raster):
    west, south, east, north = raster.footprint.extent
    x, y = tile_of_lonlat((west + east) / 2, (south + north) / 2, raster.maxzoom)

    response = client.get(f"/tiles/raster/{raster.name}/{raster.maxzoom}/{x}/{y}.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    with rasterio.open(BytesIO(response.content)) as png:
        assert (png.width, png.height, png.count) == (256, 256, 2)
        grey, alpha = png.read(1), png.read(2)
    assert alpha.max() == 255  # the image is there…
    assert grey[alpha == 255].max() > 0


@pytest.mark.django_db
def test_a_raster_layer_has_a_tilejson_naming_its_tiles(client, raster):
    import jsonschema

    document = client.get(f"/tiles/raster/{raster.name}.json").json()

    jsonschema.validate(document, TILEJSON_3)
    assert (document["minzoom"], document["maxzoom"]) == (raster.minzoom, raster.maxzoom)
    assert document["bounds"] == pytest.approx(raster.footprint.extent, abs=1e-6)
    assert document["attribution"] == "Test (Licence Ouverte 2.0)"
    lon, lat, zoom = document["center"]
    x, y = tile_of_lonlat(lon, lat, zoom)
    (template,) = document["tiles"]
    tile_url = template.replace("{z}", str(zoom)).replace("{x}", str(x)).replace("{y}", str(y))
    tile = client.get(tile_url)
    assert tile.status_code == 200 and tile["Content-Type"] == "image/png"
    assert client.get("/tiles/raster/absent.json").status_code == 404


@pytest.mark.django_db
def test_a_raster_tile_outside_the_image_is_404(client, raster):
    x, y = tile_of_lonlat(2.35, 48.85, raster.maxzoom)  # Paris, far from California
    assert (
        client.get(f"/tiles/raster/{raster.name}/{raster.maxzoom}/{x}/{y}.png").status_code == 404
    )
    assert client.get(f"/tiles/raster/absent/{raster.maxzoom}/{x}/{y}.png").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_context_layer_is_its_own_tileset_with_its_public_fields_only(client):
    lines = (
        ROOT
        / "demo/plui/241800432_PLUi_20200128/Donnees_geographiques/241800432_PRESCRIPTION_LIN_20200128.shp"
    )
    layer = context_layer_import(path=lines, title="Reculs", attribution="CC", fields=["LIBELLE"])
    x, y = tile_of_lonlat(2.93, 46.83, 12)
    tileset = f"context-{layer.name}"

    response = client.get(f"/tiles/{tileset}/12/{x}/{y}.mvt")

    assert response.status_code == 200
    tile = mapbox_vector_tile.decode(response.content)
    assert list(tile) == [tileset]
    assert all(set(f["properties"]) <= {"libelle"} for f in tile[tileset]["features"])
    assert client.get(f"/tiles/{tileset}.json").json()["vector_layers"][0]["fields"] == {
        "libelle": "String"
    }


@pytest.mark.django_db(transaction=True)
def test_a_context_layer_edited_leaves_no_stale_tile(client):
    """Its public fields changed in the admin: the cached tiles are not served again."""
    lines = (
        ROOT
        / "demo/plui/241800432_PLUi_20200128/Donnees_geographiques/241800432_PRESCRIPTION_LIN_20200128.shp"
    )
    layer = context_layer_import(
        path=lines, title="Reculs", attribution="CC", fields=["LIBELLE", "TYPEPSC"]
    )
    x, y = tile_of_lonlat(2.93, 46.83, 12)
    path = f"/tiles/context-{layer.name}/12/{x}/{y}.mvt"
    before = client.get(path)
    assert client.get(path)["ETag"] == before["ETag"]  # cached

    layer.fields = ["libelle"]
    layer_settings_update(layer=layer)

    after = client.get(path)
    assert after["ETag"] != before["ETag"]
    tile = mapbox_vector_tile.decode(after.content)
    assert all(
        set(f["properties"]) <= {"libelle"} for f in tile[f"context-{layer.name}"]["features"]
    )


@pytest.mark.django_db(transaction=True)
def test_communes_tiles(client):
    demo_load()
    x, y = tile_of_lonlat(2.93, 46.83, 10)
    tile = mapbox_vector_tile.decode(client.get(f"/tiles/communes/10/{x}/{y}.mvt").content)
    names = {f["properties"]["name"] for f in tile["communes"]["features"]}
    assert "Sancoins" in names
