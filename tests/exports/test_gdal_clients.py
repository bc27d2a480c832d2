# SPDX-License-Identifier: AGPL-3.0-or-later
"""The exports as GDAL (and so QGIS) reads them: a shapefile made of each GeoPackage
layer, dates as dates, INSEE codes as text, the CSV's CRS; and CSV cells a spreadsheet
would run as formulas, neutralised."""

import csv
import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from carto_concertation.contributions.exports.streams import csv_chunks
from tests.gdal_3_12 import moments_read

from .conftest import NEAR_A_SECOND, public_count
from .test_api import body, export

GEOMETRY_LAYERS = {
    "contributions_points": "Point",
    "contributions_lines": "Line String",
    "contributions_polygons": "Polygon",
}


def ogrinfo(*args: str) -> str:
    done = subprocess.run(["ogrinfo", "-ro", "-so", *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def field_types(summary: str) -> dict[str, str]:
    """``name: Type (width)`` lines of an ``ogrinfo -so`` summary."""
    return dict(re.findall(r"^(\w+): (\w+) \(", summary, flags=re.MULTILINE))


def feature_count(summary: str) -> int:
    return int(re.search(r"^Feature Count: (\d+)", summary, flags=re.MULTILINE).group(1))


@pytest.fixture
def geopackage(client, exported, tmp_path) -> Path:
    path = tmp_path / "export.gpkg"
    path.write_bytes(body(export(client, exported, "gpkg")))
    return path


def test_each_geopackage_layer_holds_one_geometry_type(geopackage, exported):
    summary = ogrinfo(geopackage)
    for name, geometry_type in GEOMETRY_LAYERS.items():
        assert f"{name} ({geometry_type})" in summary
    assert "zonage (Multi Polygon)" in summary
    counts = {name: feature_count(ogrinfo(geopackage, name)) for name in GEOMETRY_LAYERS}
    assert counts == {
        "contributions_points": 5,
        "contributions_lines": 1,
        "contributions_polygons": 1,
    }
    assert sum(counts.values()) == public_count(exported)


@pytest.mark.parametrize("layer", [*GEOMETRY_LAYERS, "zonage"])
def test_each_geopackage_layer_converts_to_a_shapefile(geopackage, tmp_path, layer):
    target = tmp_path / f"{layer}.shp"
    done = subprocess.run(
        ["ogr2ogr", "-f", "ESRI Shapefile", str(target), str(geopackage), layer],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert feature_count(ogrinfo(target, target.stem)) == feature_count(ogrinfo(geopackage, layer))


def test_geopackage_dates_are_dates(geopackage):
    for layer in GEOMETRY_LAYERS:
        types = field_types(ogrinfo(geopackage, layer))
        assert types["created_at"] == "DateTime"
        assert types["answered_at"] == "DateTime"
        assert types["commune_insee"] == "String"
        assert types["votes_for"] == "Integer"


def test_csv_insee_codes_stay_text_when_gdal_detects_types(client, exported, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(body(export(client, exported, "csv")))
    summary = ogrinfo(
        "-oo", "AUTODETECT_TYPE=YES", "-oo", "QUOTED_FIELDS_AS_STRING=YES", path, "export"
    )
    types = field_types(summary)
    assert types["commune_insee"] == "String"
    assert types["votes_for"] == "Integer"  # the detection is on: only quoting kept it text
    assert '"18' in path.read_text(encoding="utf-8-sig")  # the Cher's codes, quoted
    assert feature_count(summary) == public_count(exported)


def test_csv_says_its_crs(client, exported):
    rows = list(
        csv.DictReader(
            io.StringIO(body(export(client, exported, "csv")).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert list(rows[0])[-2:] == ["crs", "wkt"]
    assert {row["crs"] for row in rows} == {"EPSG:4326"}


def test_the_command_line_csv_comes_with_its_types_and_crs(exported, tmp_path):
    path = tmp_path / "out.csv"
    call_command("export_concertation", exported.slug, format="csv", output=path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.csvt", "out.prj"]
    summary = ogrinfo(path, "out")
    types = field_types(summary)
    assert types["commune_insee"] == "String"
    assert types["created_at"] == "DateTime" and types["answered_at"] == "DateTime"
    assert types["votes_for"] == "Integer" and types["zone_share"] == "Real"
    assert 'ID["EPSG",4326]' in summary or 'AUTHORITY["EPSG","4326"]' in summary
    assert feature_count(summary) == public_count(exported)
    geometries = subprocess.run(
        ["ogrinfo", "-ro", "-q", "-al", str(path)], capture_output=True, text=True
    ).stdout
    assert geometries.count("POINT (") == 5 and geometries.count("POLYGON ((") == 1
    assert geometries.count("LINESTRING (") == 1


FORMULAS = {
    "title": '=HYPERLINK("http://x.invalid")',
    "text": "+1+1",
    "themes": "-2+3",
    "channel": "@SUM(A1)",
    "commune_name": "\t=1",
    "zone_libelle": "=cmd|'/C'!A0",
    "zone_typezone": "+U",
    "answer": "\r=1",
    "answer_service": "@service",
}


def test_csv_cells_that_start_like_formulas_are_neutralised(exported):
    """Every text column of the CSV is given a value a spreadsheet would run, but
    ``status`` (our own names, filtered to the public ones) and ``commune_insee`` (a
    check constraint keeps it five characters of a code)."""
    contribution = exported.contributions.filter(status="published").order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE contributions_contribution SET title = %s, text = %s, channel = %s,"
            " answer = %s, answer_service = %s WHERE id = %s",
            [
                FORMULAS["title"],
                FORMULAS["text"],
                FORMULAS["channel"],
                FORMULAS["answer"],
                FORMULAS["answer_service"],
                contribution.pk,
            ],
        )
        cursor.execute(
            "UPDATE territories_commune SET name = %s WHERE id = %s",
            [FORMULAS["commune_name"], contribution.commune_id],
        )
        cursor.execute(
            "UPDATE concertations_theme SET name = %s WHERE id IN"
            " (SELECT theme_id FROM contributions_contribution_themes WHERE contribution_id = %s)",
            [FORMULAS["themes"], contribution.pk],
        )
        cursor.execute(
            "UPDATE plui_documents_zone SET libelle = %s, typezone = %s WHERE id IN"
            " (SELECT zone_id FROM contributions_contributionzone WHERE contribution_id = %s)",
            [FORMULAS["zone_libelle"], FORMULAS["zone_typezone"], contribution.pk],
        )
    data = b"".join(csv_chunks(concertation=exported)).decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(data), delimiter=";")}
    row = rows[str(contribution.pk)]
    for column, formula in FORMULAS.items():
        assert row[column] == "'" + formula, column
    assert row["zones"].startswith("'=cmd")
    others = [r for key, r in rows.items() if key != str(contribution.pk)]
    assert others and all(r["title"][0] not in "'=" and r["text"][0] != "'" for r in others)


def test_gdal_3_12_reads_every_export_s_moments_to_the_second(client, exported, tmp_path):
    """An idea dated 40 µs before a second (``NEAR_A_SECOND``) is read back by pyogrio
    (QGIS's reader) in that second, from each file; and every moment is to the second."""
    second = NEAR_A_SECOND.strftime("%Y-%m-%dT%H:%M:%S.000")
    for fmt, options in (("geojson", {}), ("gpkg", {}), ("csv", {"AUTODETECT_TYPE": "YES"})):
        path = tmp_path / f"export.{fmt}"
        path.write_bytes(body(export(client, exported, fmt)))
        layers = GEOMETRY_LAYERS if fmt == "gpkg" else [None]
        read = [
            feature
            for layer in layers
            for feature in moments_read(str(path), **options, **({"layer": layer} if layer else {}))
        ]
        assert len(read) == public_count(exported), fmt
        assert second in {feature["created_at"] for feature in read}, fmt
        moments = {feature[name] for feature in read for name in ("created_at", "answered_at")}
        assert all(m.endswith(".000") or m == "NaT" for m in moments), (fmt, moments)
