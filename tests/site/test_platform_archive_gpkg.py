# SPDX-License-Identifier: AGPL-3.0-or-later
"""The archive's GeoPackage as ogr2ogr writes it: what GDAL alone would round (a
date-time's microseconds, a numeric's digits, an array's items) read back by GDAL and by
the import exactly, the feature ids the primary keys, an empty geometry, a 3D one."""

import json
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from carto_concertation.site.archive.gpkg import json_rows, layer_write, snapshot_export
from carto_concertation.site.archive.tables import ArchivedTable, Column, Geometry

pytestmark = pytest.mark.django_db(transaction=True)

PROBE = ArchivedTable(
    name="archive_gpkg_probe",
    model="tests.Probe",
    description="probe",
    pk="id",
    columns=(
        Column("id", "int8", False),
        Column("at", "timestamptz", True),
        Column("amount", "numeric", True),
        Column("tags", "_varchar", True),
        Column("label", "text", False),
        Column("geom", "geometry", True),
    ),
    geometry=Geometry("geom", 2154, "POINT", 3),
)
ROWS = [
    # id, at, amount, tags, label, geom
    (7, "2026-12-06 11:32:30.123456+00", "12345678901234.56", ["a", "b,c"], "🗺️ 'q' \"d\" \x01",
     "SRID=2154;POINT Z(700000 6600000 12.5)"),
    (42, "1999-01-01 00:00:00.000001+02", "0.1", [], "", "SRID=2154;POINT Z EMPTY"),
    (43, None, "1.80", None, "x", None),
]  # fmt: skip


@pytest.fixture
def probe_table():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE archive_gpkg_probe (id bigint PRIMARY KEY, at timestamptz,"
            " amount numeric, tags varchar[], label text NOT NULL,"
            " geom geometry(PointZ, 2154))"
        )
        cursor.executemany("INSERT INTO archive_gpkg_probe VALUES (%s, %s, %s, %s, %s, %s)", ROWS)
    yield PROBE
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE archive_gpkg_probe")


def written(path: Path) -> int:
    """The layer written in a snapshot, while another connection changes a row."""
    db = connection.settings_dict
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = snapshot_export()
        with psycopg.connect(
            dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"],
            host=db["HOST"], port=db["PORT"], autocommit=True,
        ) as other:  # fmt: skip
            other.execute("UPDATE archive_gpkg_probe SET label = 'later' WHERE id = 43")
        return layer_write(path, PROBE, snapshot=snapshot, srs="EPSG:2154")


def test_gdal_reads_microseconds_and_numerics(probe_table, tmp_path):
    path = tmp_path / "geodata.gpkg"
    assert written(path) == 3

    info = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", str(path)], capture_output=True, text=True, check=True
    ).stdout
    first = info.split("OGRFeature(archive_gpkg_probe):7\n", 1)[1].split("OGRFeature", 1)[0]
    assert "at (String) = 2026-12-06T11:32:30.123456Z" in first
    assert "amount (String) = 12345678901234.56" in first
    assert 'tags (String) = ["a","b,c"]' in first
    assert "POINT Z (700000 6600000 12.5)" in first
    second = info.split("OGRFeature(archive_gpkg_probe):42\n", 1)[1]
    assert "at (String) = 1998-12-31T22:00:00.000001Z" in second
    assert "amount (String) = 0.1\n" in second
    assert "POINT Z EMPTY" in second.split("OGRFeature", 1)[0]
    srs = subprocess.run(
        ["ogrinfo", "-ro", "-so", str(path), PROBE.name], capture_output=True, text=True, check=True
    ).stdout
    assert 'ID["EPSG",2154]]\n' in srs
    assert "FID Column = id" in srs
    assert "Geometry: 3D Point" in srs

    # The import's reading: PostgreSQL gets back the very values.
    rows = [row for batch in json_rows(path, PROBE) for row in json.loads(batch)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.id, r.at = o.at, r.amount::text, r.tags, r.label,"
            " ST_AsEWKT(ST_SetSRID(ST_GeomFromWKB(decode(e.value ->> ':wkb', 'hex')), 2154))"
            " FROM json_array_elements(%s::json) e,"
            " json_populate_record(NULL::archive_gpkg_probe, e.value) r"
            " JOIN archive_gpkg_probe o ON o.id = r.id ORDER BY r.id",
            [json.dumps(rows)],
        )
        assert cursor.fetchall() == [
            (7, True, "12345678901234.56", ["a", "b,c"], ROWS[0][4], "SRID=2154;POINT(700000 6600000 12.5)"),
            (42, True, "0.1", [], "", "SRID=2154;POINT EMPTY"),
            (43, None, "1.80", None, "x", None),  # as in the snapshot
        ]  # fmt: skip


def test_an_export_without_ogr2ogr_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no ogr2ogr there
    with pytest.raises(CommandError, match="ogr2ogr"):
        call_command("export_platform", "--output", str(tmp_path / "archive"), verbosity=0)
