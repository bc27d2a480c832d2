# SPDX-License-Identifier: AGPL-3.0-or-later
"""Load a vector layer into a scratch table of PostGIS with ogr2ogr.

GDAL's own loader does the reading, the reprojection and the COPY into PostgreSQL:
it is the fastest path there is, and what the import benchmark measures us against.
Checks and repairs then run as SQL on the staged table; the staged table is dropped
whatever happens.

A process killed mid-import drops nothing. Every staging table is therefore named by one
rule, ``s_<created, Unix seconds>_<job id, hex; zeros outside a job>_<random>``: a job's
tables are dropped when it is tried again or failed after its attempt died
(core.jobs.job_attempt_abandoned), and beat's sweep (staging_orphans_drop) drops a job's
once the job no longer runs, and the others (a command's, the web process's) once older
than any import runs (settings.STAGING_TABLE_MAX_AGE).
"""

import logging
import os
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from psycopg import sql

from carto_concertation.core.jobs import job_running
from carto_concertation.core.models import Job

from .sources import SourceError

STAGING_SCHEMA = "staging"
# The one rule of staging tables' names (58 characters; PostgreSQL takes 63).
TABLE_NAME = re.compile(r"^s_([0-9]{10})_([0-9a-f]{32})_[0-9a-f]{12}$")
NO_JOB = uuid.UUID(int=0)
logger = logging.getLogger(__name__)


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
    name = _name_for(job_running())
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


def _name_for(job_id: str | None) -> str:
    """The table's name by the rule (TABLE_NAME): its birth and its job, if any."""
    try:
        owner = uuid.UUID(str(job_id))
    except ValueError:  # no job, or a task whose first argument is not a job's id
        owner = NO_JOB
    return f"s_{int(time.time()):010d}_{owner.hex}_{uuid.uuid4().hex[:12]}"


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


def _tables() -> list[tuple[str, int, uuid.UUID]]:
    """The staging tables named by the rule: (name, birth in Unix seconds, job or NO_JOB)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [STAGING_SCHEMA])
        names = [row[0] for row in cursor.fetchall()]
    return [
        (name, int(match[1]), uuid.UUID(match[2]))
        for name in names
        if (match := TABLE_NAME.match(name))
    ]


def _drop_quietly(names: list[str]) -> list[str]:
    """Drop these tables, each in its own short transaction; those still locked (the
    backend of a killed worker not gone yet) stay for the next sweep. The dropped."""
    dropped = []
    for name in names:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
                cursor.execute(
                    sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(STAGING_SCHEMA, name))
                )
            dropped.append(name)
        except DatabaseError as error:
            logger.warning("Staging table %s not dropped yet: %s", name, error)
    return dropped


def staging_job_drop(job_id: str) -> list[str]:
    """Drop the staging tables a job's attempts left (their names)."""
    job = uuid.UUID(str(job_id))
    return _drop_quietly([name for name, _born, owner in _tables() if owner == job])


def staging_orphans_drop() -> list[str]:
    """Drop the staging tables no import uses any more: a job's once the job no longer
    runs (finished, failed, deleted), the others once older than STAGING_TABLE_MAX_AGE,
    longer than any import runs (nothing else says whether a command still uses them)."""
    tables = _tables()
    running = set(
        Job.objects.filter(
            pk__in={owner for _name, _born, owner in tables if owner != NO_JOB},
            status__in=(Job.Status.PENDING, Job.Status.RUNNING),
        ).values_list("pk", flat=True)
    )
    oldest = time.time() - settings.STAGING_TABLE_MAX_AGE
    return _drop_quietly(
        [
            name
            for name, born, owner in tables
            if (born < oldest if owner == NO_JOB else owner not in running)
        ]
    )
