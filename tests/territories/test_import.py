# SPDX-License-Identifier: AGPL-3.0-or-later
"""import_territory on real commune boundaries (IGN ADMIN EXPRESS, Cher) and broken files."""

import shutil
import subprocess
import sys

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from carto_concertation.territories.importers import TerritoryFileError
from carto_concertation.territories.models import Commune, Territory
from carto_concertation.territories.services import commune_save, territory_import, territory_rename

pytestmark = pytest.mark.django_db

SIREN = "241800432"
NAME = "Communauté de communes Les Trois Provinces"
TROIS_PROVINCES_INSEE = {
    "18017",
    "18060",
    "18102",
    "18106",
    "18155",
    "18161",
    "18164",
    "18195",
    "18196",
    "18242",
    "18275",
}
# Centroid of Sancoins (18242) in Lambert-93, computed from the WGS84 source polygon
# by PostGIS: ST_Centroid(ST_Transform(geom, 2154)). A swapped axis or a wrong datum
# would put the imported commune kilometres away.
SANCOINS_CENTROID_L93 = Point(693432.706, 6636044.385, srid=2154)


@pytest.fixture
def real_files(data_dir):
    territories = data_dir / "territories"
    return {
        "geojson-4326": territories.parent.parent.parent
        / "demo"
        / "communes-cc-trois-provinces.geojson",
        "gpkg-2154": territories / "communes-trois-provinces-l93.gpkg",
        "shapefile-2154": territories / "communes-trois-provinces-l93.shp",
    }


@pytest.mark.parametrize("kind", ["geojson-4326", "gpkg-2154", "shapefile-2154"])
def test_real_communes_load_in_any_crs(real_files, kind):
    report = territory_import(path=real_files[kind], siren=SIREN, name=NAME)

    assert report.commune_count == 11
    assert set(Commune.objects.values_list("insee", flat=True)) == TROIS_PROVINCES_INSEE
    sancoins = Commune.objects.get(insee="18242")
    assert sancoins.name == "Sancoins"
    centroid = sancoins.geom.centroid.transform(2154, clone=True)
    assert centroid.distance(SANCOINS_CENTROID_L93) < 50
    territory = Territory.objects.get(siren=SIREN)
    assert territory.communes.count() == 11
    # The EPCI outline is the union of its communes: it covers each of them.
    assert all(territory.geom.buffer(1).contains(c.geom) for c in territory.communes.all())


def test_a_whole_departement_loads(data_dir):
    report = territory_import(
        path=data_dir / "territories" / "communes-18-cher.geojson", siren=SIREN, name=NAME
    )
    assert report.commune_count == 290
    assert Commune.objects.filter(insee__startswith="18").count() == 290


def test_importing_twice_duplicates_nothing(real_files):
    territory_import(path=real_files["geojson-4326"], siren=SIREN, name=NAME)
    report = territory_import(path=real_files["gpkg-2154"], siren=SIREN, name=NAME)
    assert report.created == []
    assert len(report.updated) == 11
    assert Territory.objects.count() == 1
    assert Commune.objects.count() == 11


def test_a_smaller_file_detaches_the_communes_it_no_longer_lists(real_files, tmp_path):
    territory_import(path=real_files["geojson-4326"], siren=SIREN, name=NAME)
    subset = tmp_path / "subset.geojson"
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "GeoJSON",
            str(subset),
            str(real_files["geojson-4326"]),
            "-where",
            "code IN ('18242', '18275')",
        ],
        check=True,
    )
    report = territory_import(path=subset, siren=SIREN, name=NAME)
    assert sorted(report.updated) == ["18242", "18275"]
    assert len(report.detached) == 9
    assert Territory.objects.get().communes.count() == 2


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("not-geodata.geojson", "Cannot read not-geodata.geojson as geographic data"),
        ("no-crs.shp", "has no coordinate reference system"),
        (
            "invalid-geometry.geojson",
            "Feature 10 (INSEE 18242): invalid geometry (Self-intersection",
        ),
        ("duplicate-insee.geojson", "INSEE code 18155 already used by feature 1"),
        ("bad-insee.geojson", "field code: '1824' is not a valid INSEE commune code"),
        ("points.geojson", "geometry is a Point, a commune needs a Polygon or MultiPolygon"),
    ],
)
def test_broken_files_are_refused_whole(data_dir, filename, expected):
    with pytest.raises(TerritoryFileError) as refused:
        territory_import(
            path=data_dir / "territories" / "broken" / filename, siren=SIREN, name=NAME
        )
    assert any(expected in error for error in refused.value.errors), refused.value.errors
    assert Territory.objects.count() == 0
    assert Commune.objects.count() == 0


def test_a_broken_file_leaves_a_loaded_territory_untouched(real_files, data_dir):
    territory_import(path=real_files["geojson-4326"], siren=SIREN, name=NAME)
    before = {c.insee: c.geom.wkb for c in Commune.objects.all()}
    with pytest.raises(TerritoryFileError):
        territory_import(
            path=data_dir / "territories" / "broken" / "invalid-geometry.geojson",
            siren=SIREN,
            name="Autre",
        )
    assert {c.insee: c.geom.wkb for c in Commune.objects.all()} == before
    assert Territory.objects.get().name == NAME


def test_a_file_without_crs_loads_when_the_crs_is_given(data_dir):
    report = territory_import(
        path=data_dir / "territories" / "broken" / "no-crs.shp",
        siren=SIREN,
        name=NAME,
        source_srid=2154,
    )
    assert report.commune_count == 11
    centroid = Commune.objects.get(insee="18242").geom.centroid.transform(2154, clone=True)
    assert centroid.distance(SANCOINS_CENTROID_L93) < 50


def test_a_missing_field_is_named_before_any_row_is_read(real_files, tmp_path):
    renamed = tmp_path / "renamed.geojson"
    renamed.write_text(real_files["geojson-4326"].read_text().replace('"code"', '"identifiant"'))
    with pytest.raises(TerritoryFileError) as refused:
        territory_import(path=renamed, siren=SIREN, name=NAME)
    assert "Missing field(s): insee" in refused.value.errors[0]


def test_wrong_file_type_and_missing_file(tmp_path):
    text = tmp_path / "communes.txt"
    text.write_text("18242 Sancoins")
    with pytest.raises(TerritoryFileError, match=r"Unsupported file type \.txt"):
        territory_import(path=text, siren=SIREN, name=NAME)
    with pytest.raises(TerritoryFileError, match="File not found"):
        territory_import(path=tmp_path / "absent.geojson", siren=SIREN, name=NAME)


def test_zipped_shapefile_loads(real_files, tmp_path):
    folder = tmp_path / "delivery"
    folder.mkdir()
    for suffix in (".shp", ".shx", ".dbf", ".prj"):
        shutil.copy(real_files["shapefile-2154"].with_suffix(suffix), folder)
    archive = shutil.make_archive(str(tmp_path / "communes"), "zip", folder)
    report = territory_import(path=archive, siren=SIREN, name=NAME)
    assert report.commune_count == 11


def test_an_invalid_siren_is_refused(real_files):
    with pytest.raises(ValidationError, match="not a valid SIREN"):
        territory_import(path=real_files["geojson-4326"], siren="241800431", name=NAME)
    assert Commune.objects.count() == 0


def test_command_reports_what_it_loaded(real_files, capsys):
    call_command("import_territory", str(real_files["gpkg-2154"]), "--siren", SIREN, "--name", NAME)
    assert "11 communes" in capsys.readouterr().out


def test_command_error_lists_every_reason(data_dir):
    with pytest.raises(CommandError, match="nothing was written"):
        call_command(
            "import_territory",
            str(data_dir / "territories" / "broken" / "bad-insee.geojson"),
            "--siren",
            SIREN,
            "--name",
            NAME,
        )


@pytest.mark.django_db(transaction=True)
def test_command_exits_non_zero_on_a_bad_file(data_dir):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_territory",
            str(data_dir / "territories" / "broken" / "no-crs.shp"),
            "--siren",
            SIREN,
            "--name",
            NAME,
        ],
        capture_output=True,
        text=True,
        cwd=data_dir.parent.parent,
    )
    assert result.returncode != 0
    assert "no-crs.shp" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_an_import_or_an_edit_leaves_no_stale_commune_or_territory_tile(
    real_files, client, monkeypatch
):
    from carto_concertation.territories import tasks
    from tiles import cache

    # The outline's refresh after an edit goes to Celery: nothing is sent to the session's
    # worker, which would still be writing while this test's database is flushed.
    refreshed: list[int] = []
    monkeypatch.setattr(tasks.territory_refresh_outline_task, "delay", refreshed.append)

    territory_import(path=real_files["geojson-4326"], siren=SIREN, name=NAME)
    tiles = [("communes", 10, 520, 361), ("territories", 10, 520, 361)]  # Sancoins

    def cached() -> list[bool]:
        for tileset, z, x, y in tiles:
            client.get(f"/tiles/{tileset}/{z}/{x}/{y}.mvt")
        return [cache.tile_lookup(tileset, z, x, y)[1] is not None for tileset, z, x, y in tiles]

    assert cached() == [True, True]
    territory_import(path=real_files["gpkg-2154"], siren=SIREN, name="Les Trois Provinces")
    assert [cache.tile_lookup(*tile)[1] for tile in tiles] == [None, None]

    # Edited in the admin: a commune renamed, the territory renamed.
    assert cached() == [True, True]
    sancoins = Commune.objects.get(insee="18242")
    sancoins.name = "Sancoins-sur-Loire"
    commune_save(commune=sancoins, previous_territory_id=sancoins.territory_id)
    territory_rename(territory=Territory.objects.get(siren=SIREN), name=NAME)
    assert [cache.tile_lookup(*tile)[1] for tile in tiles] == [None, None]
    assert refreshed == [sancoins.territory_id]
