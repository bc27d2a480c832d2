# SPDX-License-Identifier: AGPL-3.0-or-later
"""Load a vector layer into a scratch table of PostGIS with ogr2ogr.

GDAL's own loader does the reading, the reprojection and the COPY into PostgreSQL:
it is the fastest path there is, and what the import benchmark measures us against.
Checks and repairs then run as SQL on the staged table; the staged table is dropped
whatever happens.
"""

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _
from psycopg import sql

from .sources import SourceError

STAGING_SCHEMA = "staging"


@dataclass(frozen=True)
class StagedTable:
    name: str  # schema-qualified, safe to use as an identifier pair
    columns: tuple[str, ...]  # attribute columns, lower case (ogr2ogr launders them)

    @property
    def identifier(self) -> sql.Identifier:
        return sql.Identifier(STAGING_SCHEMA, self.name)


class Ogr2ogrFailed(RuntimeError):
    """ogr2ogr failed (its message) or is not on this machine."""


def ogr2ogr_run(arguments: list[str], env: dict[str, str] | None = None) -> None:
    """ogr2ogr with these arguments (``env`` adds to the environment: the database's
    password of ``pg_connection_string``); Ogr2ogrFailed with its message otherwise."""
    try:
        done = subprocess.run(  # noqa: S603 (our arguments, no shell)
            ["ogr2ogr", *arguments],  # noqa: S607 (GDAL's, found on the PATH)
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
        )
    except OSError as exc:  # no ogr2ogr on this machine
        raise Ogr2ogrFailed(str(exc)) from exc
    if done.returncode != 0:
        raise Ogr2ogrFailed(done.stderr.strip())


def pg_connection_string() -> tuple[str, dict[str, str]]:
    db = connection.settings_dict
    parts = {
        "dbname": db["NAME"],
        "host": db["HOST"] or "",
        "port": str(db["PORT"] or ""),
        "user": db["USER"],
    }
    text = " ".join(f"{key}='{value}'" for key, value in parts.items() if value)
    return f"PG:{text}", {"PGPASSWORD": db["PASSWORD"] or ""}


@contextmanager
def staged_layer(
    source: str,
    *,
    layer: str | None = None,
    source_srid: int | None = None,
    encoding: str | None = None,
) -> Iterator[StagedTable]:
    """Yield the layer as a table in the staging schema, in settings.SRID and 2D.

    Imports manage their own transactions: ogr2ogr commits the staged table from its
    own connection, and an enclosing transaction would keep it locked (and undo the
    final DROP), so staging inside one is refused.
    """
    if connection.in_atomic_block:
        raise RuntimeError("staged_layer() must not run inside a transaction")
    name = f"t_{uuid.uuid4().hex}"
    pg, pg_env = pg_connection_string()
    command = [
        "ogr2ogr",
        "-f",
        "PostgreSQL",
        pg,
        source,
        "-nln",
        f"{STAGING_SCHEMA}.{name}",
        "-lco",
        "GEOMETRY_NAME=geom",
        "-lco",
        "FID=ogc_fid",
        "-lco",
        "SPATIAL_INDEX=NONE",
        "-lco",
        "UNLOGGED=ON",
        "-lco",
        "PRECISION=NO",
        "-nlt",
        "GEOMETRY",
        "-dim",
        "XY",
        "-preserve_fid",
        "-t_srs",
        f"EPSG:{settings.SRID}",
        "--config",
        "PG_USE_COPY",
        "YES",
    ]
    if source_srid:
        command += ["-s_srs", f"EPSG:{source_srid}"]
    if encoding:
        command += ["-oo", f"ENCODING={encoding}"]
    if layer:
        command.append(layer)
    env = {**os.environ, **pg_env, "CPL_LOG": os.devnull}
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=3600)  # noqa: S603
        if result.returncode != 0:
            raise SourceError(
                _("GDAL could not load %(source)s: %(error)s")
                % {"source": Path(source).name, "error": _last_error(result.stderr)}
            )
        yield StagedTable(name=name, columns=_columns(name))
    finally:
        _drop(name)


def _last_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "?"


def _columns(name: str) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
            [STAGING_SCHEMA, name],
        )
        return tuple(row[0] for row in cursor.fetchall() if row[0] not in ("ogc_fid", "geom"))


def _drop(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(STAGING_SCHEMA, name))
        )
