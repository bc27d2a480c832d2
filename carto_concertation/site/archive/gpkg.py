# SPDX-License-Identifier: AGPL-3.0-or-later
# ruff: noqa: S608 — the SQLite statements name tables and columns of the instance's own
# catalogue (quoted); the values are parameters.
"""The archive's GeoPackage (OGC 12-128r17, version 1.3): written by ogr2ogr from
PostgreSQL, read back with sqlite3.

One feature table per table with a geometry, named as the table, every stored column
kept. GDAL keeps integers, booleans, reals, dates, text and geometries as they are, but
would round what the import must get back exactly (measured with GDAL 3.6): a date-time
to the millisecond (``11:32:30.123456`` → ``11:32:30.123``), a ``numeric`` to a double
(``1.80`` → ``1.8``, ``12345678901234567890.123456789`` → ``1.2345678901234567e+19``,
``NaN`` → NULL), an array to GDAL's own list (``(2:a,b,c)`` for ``{a,"b,c"}``). So the
SELECT writes those as text: date-times in UTC with their microseconds (``2026-12-06T11:32:30.123456Z``),
``numeric`` as PostgreSQL writes it, JSON and arrays as JSON, every other type (UUIDs…)
in PostgreSQL's own writing. The primary key is the feature id (``AS ogc_fid``, which
GDAL recognises in a query, kept by ``-preserve_fid``); the geometry is in the table's
SRID, empty ones flagged empty, in 2D, 3D or with M as the column. Each ogr2ogr reads in
the export's own snapshot (``pg_export_snapshot``): the archive is one moment. Not kept:
what Django cannot hold either (infinite dates and date-times, dates BC: written NULL).
"""

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connection
from psycopg import sql

from layers.staging import Ogr2ogrFailed, ogr2ogr_run, pg_connection_string

from .tables import ArchivedTable, Column, Geometry

# Types GDAL writes as they are (INTEGER, BOOLEAN, REAL, DATE, BLOB) and reads back exactly.
_NATIVE = {"int2", "int4", "int8", "bool", "float4", "float8", "date", "bytea"}
_INTEGERS = {"int2", "int4", "int8"}
# The name GDAL gives a query's column to take it as the feature id.
_FID = "ogc_fid"


class GeoPackageError(Exception):
    """ogr2ogr could not write a layer (its message is kept)."""


def _expression(column: Column) -> sql.Composable:
    name = sql.Identifier(column.name)
    if column.is_json:
        return sql.SQL("to_json({})::text").format(name)
    if column.udt == "timestamptz":
        return sql.SQL(
            """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
        ).format(name)
    if column.udt in _NATIVE:
        return name
    return sql.SQL("{}::text").format(name)


def _integer_pk(table: ArchivedTable) -> bool:
    return table.column(table.pk).udt in _INTEGERS


def select_statement(table: ArchivedTable) -> sql.Composed:
    """The PostgreSQL query ogr2ogr reads the table with: every column under its name
    (the integer primary key as GDAL's feature id), in the order of the primary key."""
    geometry = _geometry(table)
    expressions = []
    for column in table.columns:
        name = sql.Identifier(column.name)
        if column.name == geometry.column:
            expressions.append(name)
        elif column.name == table.pk and _integer_pk(table):
            expressions.append(sql.SQL("{} AS {}").format(name, sql.Identifier(_FID)))
        else:
            expressions.append(sql.SQL("{} AS {}").format(_expression(column), name))
    return sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
        sql.SQL(", ").join(expressions), sql.Identifier(table.name), sql.Identifier(table.pk)
    )


def _geometry(table: ArchivedTable) -> Geometry:
    if table.geometry is None:
        raise ValueError(f"{table.name} has no geometry: it is written as JSON")
    return table.geometry


def _layer_type(geometry: Geometry) -> str:
    """ogr2ogr's -nlt for the column: POINTZ, MULTIPOLYGONM… (PostGIS says POINTM, or
    POINT with 3 dimensions for POINTZ)."""
    measured = geometry.type.endswith("M") and geometry.dimensions >= 3
    kind = geometry.type[:-1] if measured else geometry.type
    return kind + {2: "", 3: "M" if measured else "Z", 4: "ZM"}[geometry.dimensions]


def snapshot_export() -> str:
    """The current transaction's snapshot, for ogr2ogr's connections to read in it (the
    transaction must be REPEATABLE READ and stay open while they read)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        return cursor.fetchone()[0]


def layer_write(path: Path, table: ArchivedTable, *, snapshot: str, srs: str) -> int:
    """Write the table as a layer of the GeoPackage at ``path`` (created by the first
    layer), reading in ``snapshot``; ``srs`` as ogr2ogr's -a_srs. Its count of rows."""
    geometry = _geometry(table)
    if not _integer_pk(table) and any(column.name == "fid" for column in table.columns):
        # GDAL adds a "fid" feature id to a table whose key is no integer.
        raise ValueError(f"{table.name}: a column named fid and no integer primary key")
    pg, pg_env = pg_connection_string()
    query = select_statement(table).as_string(connection.connection)
    command = ["-f", "GPKG", "-dsco", "VERSION=1.3", str(path), pg]
    command += [
        "-oo",
        "PRELUDE_STATEMENTS=BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
        f" SET TRANSACTION SNAPSHOT '{snapshot}'",
        "-oo",
        "CLOSING_STATEMENTS=COMMIT",
        "-sql",
        query,
        "-nln",
        table.name,
        "-nlt",
        _layer_type(geometry),
        "-a_srs",
        srs,
        "-lco",
        f"GEOMETRY_NAME={geometry.column}",
        "-lco",
        f"IDENTIFIER={table.name}",
        "-lco",
        f"DESCRIPTION={table.description} ({table.model})",
    ]
    if _integer_pk(table):
        command += ["-preserve_fid", "-lco", f"FID={table.pk}"]
    if path.exists():
        command.append("-update")
    try:
        ogr2ogr_run(command, pg_env)
    except Ogr2ogrFailed as exc:
        raise GeoPackageError(f"{table.name}: {exc}") from exc
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute(f"SELECT count(*) FROM {_quote(table.name)}").fetchone()[0]
    finally:
        db.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def wkb_of(blob: bytes | None) -> bytes | None:
    """The WKB inside a GeoPackage geometry (any header this spec allows)."""
    if blob is None:
        return None
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get((flags >> 1) & 0x07)
    if envelope is None:
        raise ValueError("unknown GeoPackage envelope")
    return bytes(blob[8 + envelope :])


def json_rows(path: Path, table: ArchivedTable, batch: int = 2000) -> Iterator[str]:
    """The table's rows read from the GeoPackage, as JSON arrays of objects
    (``batch`` rows each) that PostgreSQL's json_populate_record reads back exactly; the
    geometry's WKB in hexadecimal under the key ``":wkb"``, which no column may have."""
    geometry = _geometry(table)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        columns = [column for column in table.columns if column.name != geometry.column]
        names = [*(column.name for column in columns), geometry.column]
        select = f"SELECT {', '.join(map(_quote, names))} FROM {_quote(table.name)}"
        cursor = db.execute(select)
        rows: list[str] = []
        for row in cursor:
            parts = []
            for column, value in zip(columns, row, strict=False):
                parts.append(f"{json.dumps(column.name)}:{_json_value(column, value)}")
            wkb = wkb_of(row[-1])
            parts.append(f'"{WKB_KEY}":{json.dumps(wkb.hex() if wkb is not None else None)}')
            rows.append("{" + ",".join(parts) + "}")
            if len(rows) >= batch:
                yield "[" + ",".join(rows) + "]"
                rows = []
        if rows:
            yield "[" + ",".join(rows) + "]"
    finally:
        db.close()


WKB_KEY = ":wkb"


def _json_value(column: Column, value: Any) -> str:
    if value is None:
        return "null"
    if column.is_json:
        json.loads(value)  # refuse what is not JSON before PostgreSQL reads it
        return value
    if column.udt == "bool":
        return "true" if value else "false"
    if isinstance(value, bytes):
        return json.dumps("\\x" + value.hex())
    if isinstance(value, int | float) and column.udt in _NATIVE:
        return json.dumps(value)
    return json.dumps(str(value))
