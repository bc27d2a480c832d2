# SPDX-License-Identifier: AGPL-3.0-or-later
"""export_platform: everything the platform holds, written as an archive of open formats.

Read in one REPEATABLE READ, read-only transaction: the archive is one moment of the
database, whatever the site writes meanwhile. Tables with a geometry go to one
GeoPackage (gpkg.py: ogr2ogr, reading in this transaction's snapshot), the others to one JSON file each with its JSON Schema (schema.py),
MEDIA_ROOT's files to media/, and manifest.json says what is where with its checksum.
"""

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

from .gpkg import layer_write, snapshot_export
from .manifest import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_SCHEMA,
    MEDIA_DIR,
    ArchiveRefused,
    files_describe,
)
from .schema import table_schema
from .tables import ArchivedTable, archived_tables

# Uploads waiting for a worker (layers' staging): not the platform's data yet.
MEDIA_LEFT_OUT = ("imports",)

Progress = Callable[[str], None]


def personal_data_notice() -> str:
    return _(
        "This archive holds personal data: the accounts (e-mail addresses, pseudonyms,"
        " password hashes, consents, roles), the authors of contributions, comments,"
        " signalements, ballots, questionnaire responses and crowdfunding projects, and the"
        " photos they sent. It is the collectivité's own data: keep it where only the"
        " people in charge can read it, move it under your GDPR duties (register of"
        " processing, processor contract, security), and delete it once imported."
    )


def _progress_none(message: str) -> None:
    pass


def platform_export(*, output: Path, progress: Progress = _progress_none) -> dict[str, Any]:
    """Write the archive into ``output`` (a new or empty directory); its manifest."""
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise ArchiveRefused(
            _("%(dir)s: the archive is written into a new or empty directory.") % {"dir": output}
        )
    if connection.in_atomic_block:
        # Its own transaction must be the first statement's: one moment of the database.
        raise RuntimeError("platform_export runs outside any transaction.")
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if output.resolve().is_relative_to(media_root):
        # The archive would copy itself into itself, and be served as media.
        raise ArchiveRefused(
            _("%(dir)s: the archive is written outside MEDIA_ROOT.") % {"dir": output}
        )
    tables = archived_tables()
    for folder in ("data", "schema", MEDIA_DIR):
        (output / folder).mkdir(parents=True, exist_ok=True)
    described = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SET LOCAL TIME ZONE 'UTC'")
        snapshot = snapshot_export() if any(table.geometry for table in tables) else ""
        for table in tables:
            if table.geometry:
                count = _geotable_write(output / "geodata.gpkg", table, snapshot)
            else:
                count = _json_write(output, table)
            described.append(_table_described(table, count))
            progress(
                _("%(table)s: %(count)d rows → %(file)s")
                % {"table": table.name, "count": count, "file": table.file}
            )
        cursor.execute("SELECT app || '.' || name FROM django_migrations ORDER BY app, name")
        migrations = [name for (name,) in cursor.fetchall()]
        media, missing = _media_copy(output / MEDIA_DIR, tables)
    progress(_("Media: %(count)d files copied.") % {"count": len(media)})
    for name in missing:
        progress(_("Media: %(file)s is named by a row but missing.") % {"file": name})
    (output / "schema" / "manifest.schema.json").write_text(
        json.dumps(MANIFEST_SCHEMA, indent=1) + "\n", encoding="utf-8"
    )
    names = [path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file()]
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat().replace("+00:00", "Z"),
        "srid": settings.SRID,
        "personal_data": personal_data_notice(),
        "migrations": migrations,
        "tables": described,
        "media": {"directory": f"{MEDIA_DIR}/", "files": len(media), "missing": missing},
        "files": files_describe(output, names),
    }
    (output / MANIFEST).write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    _private(output)
    return manifest


def _private(output: Path) -> None:
    """Readable by the account that wrote it only: the archive holds personal data."""
    output.chmod(0o700)
    for path in output.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


def _rows(query: sql.Composable):
    """The rows of a query, fetched in batches (a server-side cursor): bounded memory."""
    with connection.connection.cursor(name="platform_export") as cursor:
        cursor.itersize = 2000
        cursor.execute(query)
        yield from cursor


def _json_write(output: Path, table: ArchivedTable) -> int:
    query = sql.SQL("SELECT row_to_json(r)::text FROM (SELECT {} FROM {} ORDER BY {}) r").format(
        sql.SQL(", ").join(sql.Identifier(column.name) for column in table.columns),
        sql.Identifier(table.name),
        sql.Identifier(table.pk),
    )
    count = 0
    with (output / table.file).open("w", encoding="utf-8") as handle:
        handle.write("[")
        for (row,) in _rows(query):
            handle.write(",\n" if count else "\n")
            handle.write(row)
            count += 1
        handle.write("\n]\n")
    (output / table.schema).write_text(
        json.dumps(table_schema(table), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return count


def _geotable_write(path: Path, table: ArchivedTable, snapshot: str) -> int:
    """The table's layer, in its SRID under the authority's code (EPSG:2154) where
    there is one, else with PostGIS's definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT auth_name, auth_srid, srtext FROM spatial_ref_sys WHERE srid = %s",
            [table.geometry.srid],
        )
        authority, code, wkt = cursor.fetchone()
    srs = f"{authority}:{code}" if authority == "EPSG" and code else wkt
    return layer_write(path, table, snapshot=snapshot, srs=srs)


def _sequence_next(table: ArchivedTable) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(s.last_value + s.increment_by, s.start_value) FROM pg_sequences s"
            " WHERE format('%%I.%%I', s.schemaname, s.sequencename)"
            " = pg_get_serial_sequence(%s, %s)",
            [connection.ops.quote_name(table.name), table.pk],
        )
        found = cursor.fetchone()
    return found[0] if found else None


def _table_described(table: ArchivedTable, count: int) -> dict[str, Any]:
    described: dict[str, Any] = {
        "name": table.name,
        "model": table.model,
        "description": table.description,
        "role": "reference" if table.reference else "data",
        "file": table.file,
        "rows": count,
        "primary_key": table.pk,
        "sequence_next": _sequence_next(table),
        "columns": [
            {"name": c.name, "type": c.udt, "nullable": c.nullable}
            | ({"references": c.references} if c.references else {})
            for c in table.columns
        ],
    }
    if table.geometry:
        described["layer"] = table.name
        described["geometry"] = {
            "column": table.geometry.column,
            "srid": table.geometry.srid,
            "type": table.geometry.type,
        }
    else:
        described["schema"] = table.schema
    return described


def _media_copy(target: Path, tables: list[ArchivedTable]) -> tuple[list[str], list[str]]:
    """Every file under MEDIA_ROOT but the uploads waiting for a worker, copied under the
    same relative path; and the files rows name (FileField) that are not there."""
    root = Path(settings.MEDIA_ROOT)
    copied = []
    if root.is_dir():
        for folder, directories, files in os.walk(root):
            here = Path(folder)
            if here == root:
                directories[:] = [d for d in directories if d not in MEDIA_LEFT_OUT]
            for name in files:
                source = here / name
                if source.is_symlink() or not source.is_file():
                    continue
                relative = source.relative_to(root).as_posix()
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / relative)
                copied.append(relative)
    missing = sorted(name for name in _files_named(tables) if not (root / name).is_file())
    return sorted(copied), missing


def _files_named(tables: list[ArchivedTable]) -> set[str]:
    names: set[str] = set()
    for table in tables:
        model = apps.get_model(table.model)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                values = model._base_manager.exclude(**{field.name: ""}).exclude(
                    **{f"{field.name}__isnull": True}
                )
                names.update(values.values_list(field.name, flat=True).distinct())
    return names
