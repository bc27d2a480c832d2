# SPDX-License-Identifier: AGPL-3.0-or-later
"""import_plui on the real deliveries of two PLUi of the Cher (IGN validator test data)."""

import shutil
from collections import Counter

import pytest
from django.conf import settings
from django.contrib.gis.gdal import DataSource
from django.core.management import CommandError, call_command

from plui_documents.models import DocumentVersion, Information, Prescription, UrbanDocument, Zone
from plui_documents.selectors import zone_at_point
from plui_documents.services import plui_import

from .conftest import CHER_2014, SOURCE_ZONES, TROIS_PROVINCES, source_features

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = ("ZONE_URBA", "PRESCRIPTION_SURF", "PRESCRIPTION_LIN", "PRESCRIPTION_PCT")


def test_counts_and_typezone_distribution_equal_the_source():
    version, report = plui_import(path=TROIS_PROVINCES)

    folder = TROIS_PROVINCES / "Donnees_geographiques"
    for table in TABLES:
        expected = len(source_features(folder / f"241800432_{table}_20200128.shp"))
        assert report.counts[table] == expected, table
    assert version.zones.count() == 221
    assert Prescription.objects.filter(version=version).count() == 32 + 264 + 167
    source_types = Counter(str(f.get("TYPEZONE")) for f in source_features(SOURCE_ZONES))
    stored_types = Counter(version.zones.values_list("typezone", flat=True))
    assert stored_types == source_types == {"N": 167, "U": 38, "A": 13, "AUc": 2, "AUs": 1}
    assert report.cnig_version == "2017"
    assert version.document.idurba == "241800432_PLUI_20200128"
    assert version.document.typedoc == "PLUI"
    assert version.document.current_version == version
    assert version.etat == "07"
    assert str(version.datappro) == "2020-01-28"
    assert version.communes == ["18275"]


def test_a_known_point_lies_in_its_zone():
    plui_import(path=TROIS_PROVINCES)
    feature = next(f for f in source_features(SOURCE_ZONES) if f.get("LIBELLE") == "UE")
    inside = feature.geom.geos.point_on_surface  # Lambert-93, as the source
    inside.srid = 2154

    zone = zone_at_point(point=inside)

    assert zone is not None
    assert (zone.libelle, zone.typezone, zone.libelong) == ("UE", "U", str(feature.get("LIBELONG")))
    assert zone.source_fid == feature.fid


def test_repairs_invalid_geometries_and_says_which():
    version, report = plui_import(path=TROIS_PROVINCES)
    assert any(
        "ZONE_URBA FID 198 (UA)" in line and "ST_MakeValid" in line for line in report.repairs
    )
    assert all(zone.geom.valid for zone in version.zones.all())


def test_multi_part_polygons_and_lines_are_kept_whole():
    version, _report = plui_import(path=TROIS_PROVINCES)
    multi_parts = [
        f for f in source_features(SOURCE_ZONES) if f.geom.geom_type.name == "MultiPolygon"
    ]
    assert len(multi_parts) == 3
    for feature in multi_parts:
        stored = version.zones.get(source_fid=feature.fid)
        assert len(stored.geom) == len(feature.geom)


def test_overlaps_and_gaps_of_the_real_zoning_are_reported_as_warnings():
    _version, report = plui_import(path=TROIS_PROVINCES)
    assert any("FID 193 (N) and FID 204 (A) overlap" in line for line in report.warnings)
    assert any(line.startswith("Gap of") for line in report.warnings)
    assert report.errors == []


def test_cnig_2014_delivery():
    version, report = plui_import(path=CHER_2014)
    assert report.cnig_version == "2014"
    assert report.counts == {"ZONE_URBA": 222}
    assert version.document.idurba == "20001178120180101"
    assert sorted(set(version.zones.values_list("destdomi", flat=True))) == [
        "01",
        "02",
        "03",
        "04",
        "05",
        "07",
        "08",
    ]
    assert set(version.zones.values_list("insee", flat=True)) == {"18007"}
    assert len(version.communes) == 12


def test_zip_and_geojson_deliveries(tmp_path):
    archive = shutil.make_archive(
        str(tmp_path / "241800432_PLUi_20200128"),
        "zip",
        TROIS_PROVINCES.parent,
        TROIS_PROVINCES.name,
    )
    version, report = plui_import(path=archive)
    assert report.counts["ZONE_URBA"] == 221
    assert version.document.idurba == "241800432_PLUI_20200128"

    geojson = tmp_path / "241800432_ZONE_URBA_20200128.geojson"
    import subprocess

    subprocess.run(
        ["ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4326", str(geojson), str(SOURCE_ZONES)],
        check=True,
    )
    version2, report2 = plui_import(path=geojson)
    assert report2.counts == {"ZONE_URBA": 221}
    assert version2.document == version.document
    assert version2.number == 2
    # The same zone, through WGS84 and back: within a centimetre.
    first = version.zones.get(source_fid=10).geom
    second = version2.zones.get(source_fid=10).geom
    assert first.centroid.distance(second.centroid) < 0.01


def test_geometries_are_stored_in_the_configured_srid_and_2d():
    version, _report = plui_import(path=TROIS_PROVINCES)
    zone = version.zones.first()
    assert zone.geom.srid == settings.SRID
    assert not zone.geom.hasz


def test_command_prints_progress_and_report(capsys):
    call_command("import_plui", str(TROIS_PROVINCES))
    out = capsys.readouterr().out
    assert "[100 %]" in out
    assert "ZONE_URBA: 221 features" in out
    assert "version 1 is now current" in out


def test_command_fails_with_the_reason(tmp_path, capsys):
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_plui", str(empty))
    assert "empty" in capsys.readouterr().err
    assert UrbanDocument.objects.count() == 0
    assert DocumentVersion.objects.count() == 0
    assert Zone.objects.count() == Information.objects.count() == 0


def test_staging_tables_are_dropped(django_db_blocker):
    plui_import(path=TROIS_PROVINCES)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'staging'"
        )
        assert cursor.fetchone()[0] == 0


def test_source_fids_match_gdal():
    version, _report = plui_import(path=TROIS_PROVINCES)
    source = DataSource(str(SOURCE_ZONES))[0]
    assert sorted(version.zones.values_list("source_fid", flat=True)) == sorted(
        f.fid for f in source
    )
