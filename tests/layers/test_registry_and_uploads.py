# SPDX-License-Identifier: AGPL-3.0-or-later
"""The layer registry, context vector layers and raster plans (COG)."""

import shutil
from pathlib import Path

import pytest
import rasterio
from django.core.exceptions import ValidationError

from layers.models import ContextFeature, ContextLayer
from layers.rasters import cog_convert
from layers.selectors import layer_list
from layers.services import context_layer_import
from layers.sources import SourceError

ROOT = Path(__file__).resolve().parent.parent.parent
LINES = (
    ROOT
    / "demo"
    / "plui"
    / "241800432_PLUi_20200128"
    / "Donnees_geographiques"
    / "241800432_PRESCRIPTION_LIN_20200128.shp"
)
RASTERS = ROOT / "tests" / "data" / "raster"


@pytest.mark.django_db
def test_the_registry_lists_every_built_in_layer_once(client):
    response = client.get("/api/v1/layers/")
    names = [layer["name"] for layer in response.json()]
    assert names == ["communes", "territories", "zones", "prescriptions", "informations"]
    zones = response.json()[2]
    assert zones["fields"] == ["libelle", "libelong", "typezone", "destdomi", "nomfic", "urlfic"]
    assert zones["geometry_type"] == "MultiPolygon"
    assert 0 <= zones["minzoom"] <= zones["maxzoom"] <= 22
    assert "Géoportail de l'Urbanisme" in zones["attribution"]


@pytest.mark.django_db(transaction=True)
def test_a_context_layer_publishes_only_its_public_fields(client):
    layer = context_layer_import(
        path=LINES,
        title="Reculs le long des routes",
        attribution="CC Les Trois Provinces",
        fields=["LIBELLE", "TYPEPSC"],
    )
    assert layer.feature_count == 264
    assert layer.geometry_type == "LineString"
    feature = ContextFeature.objects.filter(layer=layer).first()
    assert set(feature.properties) <= {"libelle", "typepsc"}
    assert "nomfic" not in feature.properties
    registered = next(item for item in layer_list() if item.name == f"context-{layer.name}")
    assert registered.fields == ("libelle", "typepsc")
    assert registered.where == f"layer_id = {layer.pk}"
    assert any(
        item["name"] == f"context-{layer.name}" for item in client.get("/api/v1/layers/").json()
    )


@pytest.mark.django_db(transaction=True)
def test_a_zipped_shapefile_becomes_a_context_layer(tmp_path):
    folder = tmp_path / "ligne"
    folder.mkdir()
    for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        shutil.copy(LINES.with_suffix(suffix), folder)
    archive = shutil.make_archive(str(tmp_path / "ligne"), "zip", folder)
    layer = context_layer_import(path=Path(archive), title="Ligne", attribution="Test")
    assert layer.feature_count == 264
    assert "libelle" in layer.fields


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"fields": ["ABSENT"]}, SourceError, "Unknown field(s) absent"),
        (
            {"path": ROOT / "tests/data/plui/broken/empty-collection.geojson"},
            SourceError,
            "contains no feature",
        ),
        (
            {"path": ROOT / "tests/data/plui/broken/no-prj/241800432_ZONE_URBA_20200128.shp"},
            SourceError,
            "no coordinate reference system",
        ),
    ],
)
def test_bad_context_layers_are_refused(kwargs, error, message):
    arguments = {"path": LINES, "title": "Couche", "attribution": "Test"} | kwargs
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        context_layer_import(**arguments)
    assert ContextLayer.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_context_layer_name_is_unique():
    context_layer_import(path=LINES, title="Ligne", attribution="Test")
    with pytest.raises(ValidationError):
        context_layer_import(path=LINES, title="Ligne", attribution="Test")


@pytest.mark.parametrize("name", ["byte.tif", "RGB.byte.tif"])
def test_geotiffs_become_cloud_optimized_geotiffs_in_web_mercator(tmp_path, name):
    target = tmp_path / "cog.tif"
    facts = cog_convert(RASTERS / name, target)
    with rasterio.open(RASTERS / name) as source:
        expected_crs = source.crs.to_string()
    with rasterio.open(target) as cog:
        assert cog.crs.to_epsg() == 3857
        assert cog.profile["blockxsize"] == cog.profile["blockysize"] == 256
        assert cog.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert cog.overviews(1) or max(cog.width, cog.height) <= 512
    assert facts.source_crs == expected_crs
    assert facts.minzoom <= facts.maxzoom


def test_the_footprint_is_where_the_image_is(tmp_path):
    facts = cog_convert(RASTERS / "RGB.byte.tif", tmp_path / "cog.tif")
    west, south, east, north = facts.footprint.extent
    # The Landsat scene of the Bahamas (tests/data/raster/README.md).
    assert west == pytest.approx(-78.96, abs=0.05) and east == pytest.approx(-76.57, abs=0.05)
    assert south == pytest.approx(23.61, abs=0.05) and north == pytest.approx(25.51, abs=0.05)


@pytest.mark.parametrize(
    ("name", "message"),
    [("no-georef.tif", "is not georeferenced"), ("not-a-tiff.tif", "is not a raster")],
)
def test_bad_rasters_are_refused(tmp_path, name, message):
    with pytest.raises(SourceError, match=message):
        cog_convert(RASTERS / name, tmp_path / "cog.tif")
    assert not (tmp_path / "cog.tif").exists()
