# SPDX-License-Identifier: AGPL-3.0-or-later
"""Importing an edition's districts from a planner's file, read with GDAL: GeoJSON in
WGS84, GeoPackage in Lambert-93, zipped Shapefile; what is refused, with its reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from carto_concertation.budgets.models import District
from carto_concertation.budgets.services.editions import districts_import
from tests.factories.geometry import spot, square

from .editions_world import (
    geojson_4326,
    geopackage_2154,
    quarters,
    table_without_geometry,
    world_fixture,  # noqa: F401
    zipped_shapefile,
)

pytestmark = pytest.mark.django_db


def _upload(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def _assert_imported(edition, shapes) -> None:
    districts = {d.name: d for d in District.objects.filter(edition=edition)}
    assert sorted(districts) == sorted(name for name, _geom in shapes)
    for name, geom in shapes:
        # Back in Lambert-93 within a few millimetres of the commune's square.
        assert districts[name].geom.sym_difference(geom).area < 1
        assert districts[name].geom.srid == 2154


@pytest.mark.parametrize("write", ["geojson", "gpkg", "shapefile"])
def test_districts_are_imported_from_every_format_and_crs(world, tmp_path, write):
    shapes = quarters(world.edition.territory)
    path = {
        "geojson": lambda: geojson_4326(tmp_path / "q.geojson", shapes),
        "gpkg": lambda: geopackage_2154(tmp_path, shapes),
        "shapefile": lambda: zipped_shapefile(tmp_path, shapes),
    }[write]()
    rows = districts_import(world.edition, _upload(path), "nom", user=world.planner)
    assert len(rows) == 2
    _assert_imported(world.edition, shapes)


def _refused(world, path, name_field="nom") -> dict:
    before = list(District.objects.filter(edition=world.edition).values_list("pk", flat=True))
    with pytest.raises(ValidationError) as refused:
        districts_import(world.edition, _upload(path), name_field, user=world.planner)
    after = list(District.objects.filter(edition=world.edition).values_list("pk", flat=True))
    assert after == before, "a refused import leaves the districts as they were"
    return refused.value.message_dict


def test_a_table_without_geometry_is_refused(world, tmp_path):
    errors = _refused(world, table_without_geometry(tmp_path))
    assert "without geometry" in errors["file"][0]


def test_points_are_refused_with_the_reason(world, tmp_path):
    point = spot(world.edition.territory.geom)
    errors = _refused(world, geojson_4326(tmp_path / "p.geojson", [("Place", point)]))
    assert "must be polygons" in errors["file"][0]


def test_a_district_outside_the_territory_is_refused(world, tmp_path):
    far = square(40, row=40)
    errors = _refused(world, geojson_4326(tmp_path / "f.geojson", [("Ailleurs", far)]))
    assert "outside the territory" in errors["file"][0]


def test_an_unknown_name_field_is_refused_naming_it(world, tmp_path):
    path = geojson_4326(tmp_path / "q.geojson", quarters(world.edition.territory))
    errors = _refused(world, path, name_field="libelle")
    assert "libelle" in errors["name_field"][0] and "nom" in errors["name_field"][0]


def test_a_file_that_is_not_geodata_is_refused(world, tmp_path):
    path = tmp_path / "notes.geojson"
    path.write_text("ceci n'est pas une carte")
    assert "Cannot read" in _refused(world, path)["file"][0]


def test_a_planner_of_another_territory_cannot_import(world, tmp_path):
    path = geojson_4326(tmp_path / "q.geojson", quarters(world.edition.territory))
    with pytest.raises(PermissionDenied):
        districts_import(world.edition, _upload(path), "nom", user=world.stranger)
