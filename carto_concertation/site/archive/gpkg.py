# SPDX-License-Identifier: AGPL-3.0-or-later
# ruff: noqa: S608 — the SQLite statements name tables and columns of the instance's own
# catalogue (quoted); the values are parameters.
"""The archive's GeoPackage (OGC 12-128r17, version 1.3), written and read with sqlite3.

One feature table per table with a geometry, named as the table, every stored column
kept: integers, booleans, reals as such; dates as DATE, date-times as DATETIME in UTC
with their microseconds (``2026-12-06T11:32:30.123456Z``); ``numeric`` as TEXT (exact);
JSON and arrays as TEXT holding JSON; everything else as TEXT in PostgreSQL's own
writing. The geometry is a GeoPackage binary (header without envelope, then ISO WKB) in
the table's SRID, declared in gpkg_spatial_ref_sys with PostGIS's definition. GDAL
(ogrinfo, QGIS) opens it as is; the import reads it back column by column.
"""

import json
import sqlite3
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from psycopg import sql

from .tables import ArchivedTable, Column, Geometry

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10300  # 1.3.0 (what GDAL reads without a warning)

_CORE = """
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
"""

_SQLITE_TYPES = {
    "int2": "INTEGER",
    "int4": "INTEGER",
    "int8": "INTEGER",
    "bool": "BOOLEAN",
    "float4": "DOUBLE",
    "float8": "DOUBLE",
    "date": "DATE",
    "timestamptz": "DATETIME",
    "bytea": "BLOB",
}


def _sqlite_type(column: Column) -> str:
    if column.is_json:
        return "TEXT"
    if column.udt in _SQLITE_TYPES:
        return _SQLITE_TYPES[column.udt]
    if column.max_length and column.udt == "varchar":
        return f"TEXT({column.max_length})"
    return "TEXT"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def select_statement(table: ArchivedTable) -> sql.Composed:
    """The PostgreSQL query giving the table's rows as the GeoPackage stores them, in
    the columns' order, the geometry as ISO WKB last (with whether it is empty)."""
    expressions = []
    for column in table.columns:
        name = sql.Identifier(column.name)
        if table.geometry and column.name == table.geometry.column:
            continue
        if column.is_json:
            expression = sql.SQL("to_json({})::text").format(name)
        elif column.udt == "timestamptz":
            expression = sql.SQL(
                """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
            ).format(name)
        elif column.udt in _SQLITE_TYPES and column.udt != "date":
            expression = name
        else:
            expression = sql.SQL("{}::text").format(name)
        expressions.append(expression)
    geometry = sql.Identifier(table.geometry.column)
    expressions.append(sql.SQL("ST_AsBinary({}, 'NDR')").format(geometry))
    expressions.append(sql.SQL("ST_IsEmpty({})").format(geometry))
    return sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
        sql.SQL(", ").join(expressions), sql.Identifier(table.name), sql.Identifier(table.pk)
    )


def _geometry(table: ArchivedTable) -> Geometry:
    if table.geometry is None:
        raise ValueError(f"{table.name} has no geometry: it is written as JSON")
    return table.geometry


def _blob(wkb: bytes | None, empty: bool | None, srid: int) -> bytes | None:
    if wkb is None:
        return None
    # Header: magic, version 0, flags (little-endian, no envelope, empty bit), srs_id.
    flags = 0x01 | (0x10 if empty else 0)
    return b"GP" + struct.pack("<BBi", 0, flags, srid) + bytes(wkb)


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


class GeoPackageWriter:
    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        self.db.execute(f"PRAGMA user_version = {USER_VERSION}")
        self.db.executescript(_CORE)
        self.srids: set[int] = set()

    def srs_add(self, srid: int, name: str, organization: str, code: int, wkt: str) -> None:
        if srid in self.srids:
            return
        self.db.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
            (name, srid, organization, code, wkt, name),
        )
        self.srids.add(srid)

    def table_write(
        self,
        table: ArchivedTable,
        rows: Iterable[tuple],
        extent: tuple[float, float, float, float] | None,
    ) -> int:
        geometry = _geometry(table)
        others = [column for column in table.columns if column.name != geometry.column]
        integer_pk = table.column(table.pk).udt in {"int2", "int4", "int8"}
        definitions = [] if integer_pk else ['"fid" INTEGER PRIMARY KEY AUTOINCREMENT']
        for column in others:
            definition = f"{_quote(column.name)} {_sqlite_type(column)}"
            if column.name == table.pk and integer_pk:
                definition = f"{_quote(column.name)} INTEGER PRIMARY KEY"
            elif not column.nullable:
                definition += " NOT NULL"
            definitions.append(definition)
        definitions.append(f"{_quote(geometry.column)} {geometry.type}")
        self.db.execute(f"CREATE TABLE {_quote(table.name)} ({', '.join(definitions)})")
        self.db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description,"
            " min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?)",
            (
                table.name,
                table.name,
                f"{table.description} ({table.model})",
                *(extent or (None,) * 4),
                geometry.srid,
            ),
        )
        z = 1 if geometry.dimensions in (3, 4) and "M" not in geometry.type[-1:] else 0
        m = 1 if geometry.dimensions == 4 or geometry.type.endswith("M") else 0
        self.db.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, ?, ?)",
            (table.name, geometry.column, geometry.type, geometry.srid, z, m),
        )
        names = [*(column.name for column in others), geometry.column]
        insert = (
            f"INSERT INTO {_quote(table.name)} ({', '.join(map(_quote, names))})"
            f" VALUES ({', '.join('?' * len(names))})"
        )
        count = 0
        batch: list[tuple] = []
        for row in rows:
            *values, wkb, empty = row
            values = [bytes(v) if isinstance(v, memoryview) else v for v in values]
            batch.append((*values, _blob(wkb, empty, geometry.srid)))
            if len(batch) >= 1000:
                self.db.executemany(insert, batch)
                count += len(batch)
                batch = []
        self.db.executemany(insert, batch)
        return count + len(batch)

    def close(self) -> None:
        self.db.commit()
        self.db.close()


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
    if isinstance(value, int | float) and column.udt in _SQLITE_TYPES:
        return json.dumps(value)
    return json.dumps(str(value))
