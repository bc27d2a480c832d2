# SPDX-License-Identifier: AGPL-3.0-or-later
"""import_platform: an archive loaded into an empty instance, or refused with nothing written.

Everything is checked before the first write: the manifest's format version, every
file's size and SHA-256 (and no file added), the instance's migrations (the same as the
archive's: same version of the software), its tables and columns, that it is empty
(defined in ``instance_empty``), and that no file of MEDIA_ROOT would be overwritten by
another. Then one transaction: content types and permissions matched by natural key
(the archive's ids mapped onto the instance's), every row inserted under its primary key
(PostgreSQL reads the values back with its own types: json_populate_record), the
sequences set past the archive's, and the media copied; a failure rolls everything back
and removes the files copied. After the commit, every tileset is announced changed.
"""

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from psycopg import sql

from carto_concertation.core.changes import every_tileset_changed_announce

from .gpkg import WKB_KEY, json_rows
from .manifest import MEDIA_DIR, ArchiveRefused, manifest_read, safe_relative, sha256_of
from .tables import REFERENCE_KEYS, ArchivedTable, archived_tables

Progress = Callable[[str], None]


def _progress_none(message: str) -> None:
    pass


def instance_empty(tables: list[ArchivedTable]) -> list[str]:
    """The tables that hold rows and should not. An instance is empty when every table
    the archive fills is (the project's, the groups', the e-mail addresses'): only the
    content types and permissions the migrations write may be there."""
    names = [table.name for table in tables if not table.reference]
    query = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT {} WHERE EXISTS (SELECT FROM {})").format(
            sql.Literal(name), sql.Identifier(name)
        )
        for name in names
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        return [name for (name,) in cursor.fetchall()]


def _instance_check(manifest: dict[str, Any], tables: list[ArchivedTable]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app || '.' || name FROM django_migrations")
        here = {name for (name,) in cursor.fetchall()}
    there = set(manifest.get("migrations") or [])
    if here != there:
        difference = sorted(there - here)[:5] or sorted(here - there)[:5]
        raise ArchiveRefused(
            _(
                "The instance's migrations are not the archive's (%(names)s): install the"
                " version that wrote the archive, import, then upgrade."
            )
            % {"names": ", ".join(difference)}
        )
    ours = {table.name: table for table in tables}
    theirs = {table.get("name"): table for table in manifest["tables"]}
    if set(ours) != set(theirs):
        names = sorted(set(ours) ^ set(theirs))[:5]
        raise ArchiveRefused(
            _("The archive's tables are not the instance's (%(names)s).")
            % {"names": ", ".join(map(str, names))}
        )
    for name, table in ours.items():
        described = theirs[name]
        columns = [(c.name, c.udt) for c in table.columns]
        if [(c.get("name"), c.get("type")) for c in described.get("columns", [])] != columns:
            raise ArchiveRefused(
                _("%(file)s: the columns of %(table)s are not the instance's.")
                % {"file": described["file"], "table": name}
            )
        if described["file"] != table.file:
            raise ArchiveRefused(
                _("%(file)s: %(table)s is not where the instance expects it.")
                % {"file": described["file"], "table": name}
            )
        if table.geometry and described.get("geometry", {}).get("srid") != table.geometry.srid:
            raise ArchiveRefused(
                _("%(file)s: %(table)s's geometries are not in the instance's SRID.")
                % {"file": described["file"], "table": name}
            )
    if full := instance_empty(tables):
        raise ArchiveRefused(
            _(
                "The instance is not empty: %(tables)s hold rows. Import into a new database"
                " where only the migrations ran."
            )
            % {"tables": ", ".join(full[:5])}
        )


def _media_plan(root: Path, manifest: dict[str, Any]) -> list[tuple[Path, Path]]:
    """(archive file, MEDIA_ROOT file) to copy; refused when MEDIA_ROOT holds another
    file under the same name (the same one is left as it is)."""
    media = Path(settings.MEDIA_ROOT)
    plan = []
    for name, described in manifest["files"].items():
        if not name.startswith(f"{MEDIA_DIR}/"):
            continue
        relative = safe_relative(name).relative_to(MEDIA_DIR)
        target = media / relative
        if target.exists():
            if not target.is_file() or sha256_of(target) != described["sha256"]:
                raise ArchiveRefused(
                    _("%(file)s: MEDIA_ROOT holds another file under this name.") % {"file": name}
                )
            continue
        plan.append((root / name, target))
    return plan


def platform_import(*, source: Path, progress: Progress = _progress_none) -> dict[str, int]:
    """Load the archive in ``source`` into this empty instance; the rows per table."""
    manifest = manifest_read(source)
    progress(
        _("Archive checked: %(count)d files, their SHA-256 as the manifest says.")
        % {"count": len(manifest["files"])}
    )
    tables = archived_tables()
    _instance_check(manifest, tables)
    plan = _media_plan(source, manifest)
    by_name = {table.name: table for table in tables}
    counts: dict[str, int] = {}
    copied: list[Path] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL TIME ZONE 'UTC'")
            cursor.execute(
                "CREATE TEMPORARY TABLE archive_ids (ref text, old_id bigint, new_id bigint,"
                " PRIMARY KEY (ref, old_id)) ON COMMIT DROP"
            )
            for described in manifest["tables"]:
                table = by_name[described["name"]]
                count = _load(cursor, source, table)
                if count != described.get("rows"):
                    raise ArchiveRefused(
                        _("%(file)s: %(count)d rows of %(table)s, the manifest says %(rows)s.")
                        % {
                            "file": table.file,
                            "count": count,
                            "table": table.name,
                            "rows": described.get("rows"),
                        }
                    )
                counts[table.name] = count
                progress(_("%(table)s: %(count)d rows") % {"table": table.name, "count": count})
            _sequences_set(cursor, manifest, by_name)
            for archived, target in plan:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(archived, target)
                copied.append(target)
            progress(_("Media: %(count)d files copied.") % {"count": len(copied)})
            _tilesets_announce()
    except DatabaseError as error:
        _remove(copied)
        raise ArchiveRefused(
            _("The archive could not be loaded, nothing was kept: %(error)s") % {"error": error}
        ) from error
    except BaseException:
        _remove(copied)
        raise
    ContentType.objects.clear_cache()
    return counts


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _load(cursor, source: Path, table: ArchivedTable) -> int:
    """One table's rows loaded; a value PostgreSQL or the GeoPackage reader refuses (an
    archive edited by hand, its checksums made again) names the file and the table."""
    try:
        if table.reference:
            return _reference_load(cursor, source, table)
        return _table_load(cursor, source, table)
    except (DatabaseError, sqlite3.Error, ValueError, UnicodeDecodeError) as error:
        raise ArchiveRefused(
            _("%(file)s: the rows of %(table)s could not be loaded (%(error)s).")
            % {"file": table.file, "table": table.name, "error": str(error).strip()}
        ) from error


def _reference_load(cursor, source: Path, table: ArchivedTable) -> int:
    """Match the archive's rows onto the instance's by natural key (adding the missing
    ones: a model the instance no longer has) and keep old id → new id in archive_ids."""
    key = REFERENCE_KEYS[table.name]
    data = (source / table.file).read_text(encoding="utf-8")
    columns = [c for c in table.columns if c.name != table.pk]
    mapped = {c.name: c.references for c in table.columns if c.references}

    def value(column: str) -> sql.Composable:
        if column in mapped:
            return _mapped(mapped[column], sql.SQL("a.{}").format(sql.Identifier(column)))
        return sql.SQL("a.{}").format(sql.Identifier(column))

    archived = sql.SQL("json_populate_recordset(NULL::{}, %s::json) a").format(
        sql.Identifier(table.name)
    )
    matches = sql.SQL(" AND ").join(
        sql.SQL("t.{} = {}").format(sql.Identifier(k), value(k)) for k in key
    )
    cursor.execute(
        sql.SQL(
            "INSERT INTO {} ({}) SELECT {} FROM {} WHERE NOT EXISTS (SELECT FROM {} t WHERE {})"
        ).format(
            sql.Identifier(table.name),
            sql.SQL(", ").join(sql.Identifier(c.name) for c in columns),
            sql.SQL(", ").join(value(c.name) for c in columns),
            archived,
            sql.Identifier(table.name),
            matches,
        ),
        [data],
    )
    cursor.execute(
        sql.SQL("INSERT INTO archive_ids SELECT {}, a.{}, t.{} FROM {} JOIN {} t ON {}").format(
            sql.Literal(table.name),
            sql.Identifier(table.pk),
            sql.Identifier(table.pk),
            archived,
            sql.Identifier(table.name),
            matches,
        ),
        [data],
    )
    return cursor.rowcount


def _mapped(reference: str, value: sql.Composable) -> sql.Composable:
    return sql.SQL(
        "(SELECT m.new_id FROM archive_ids m WHERE m.ref = {} AND m.old_id = {})"
    ).format(sql.Literal(reference), value)


def _table_load(cursor, source: Path, table: ArchivedTable) -> int:
    values = []
    for column in table.columns:
        read = sql.SQL("r.{}").format(sql.Identifier(column.name))
        if table.geometry and column.name == table.geometry.column:
            read = sql.SQL("ST_SetSRID(ST_GeomFromWKB(decode(e.value ->> {}, 'hex')), {})").format(
                sql.Literal(WKB_KEY), sql.Literal(table.geometry.srid)
            )
        elif column.references:
            read = _mapped(column.references, read)
        values.append(read)
    insert = sql.SQL("INSERT INTO {} ({}) SELECT {} FROM ").format(
        sql.Identifier(table.name),
        sql.SQL(", ").join(sql.Identifier(c.name) for c in table.columns),
        sql.SQL(", ").join(values),
    )
    if table.geometry is None:
        statement = insert + sql.SQL("json_populate_recordset(NULL::{}, %s::json) r").format(
            sql.Identifier(table.name)
        )
        cursor.execute(statement, [(source / table.file).read_text(encoding="utf-8")])
        return cursor.rowcount
    statement = insert + sql.SQL(
        "json_array_elements(%s::json) e, json_populate_record(NULL::{}, e.value) r"
    ).format(sql.Identifier(table.name))
    count = 0
    for batch in json_rows(source / table.file, table):
        cursor.execute(statement, [batch])
        count += cursor.rowcount
    return count


def _sequences_set(cursor, manifest: dict[str, Any], tables: dict[str, ArchivedTable]) -> None:
    """Each sequence past the archive's value and past the largest key: the rows written
    after the import take new ids, never one an archived row had."""
    for described in manifest["tables"]:
        table = tables[described["name"]]
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, %s)",
            [connection.ops.quote_name(table.name), table.pk],
        )
        (sequence,) = cursor.fetchone()
        if sequence is None:
            continue
        cursor.execute(
            sql.SQL(
                "SELECT setval(%s, GREATEST(COALESCE((SELECT max({}) FROM {}), 0) + 1,"
                " %s::bigint, (SELECT COALESCE(s.last_value + s.increment_by, s.start_value)"
                " FROM pg_sequences s WHERE format('%%I.%%I', s.schemaname, s.sequencename) = %s)),"
                " false)"
            ).format(sql.Identifier(table.pk), sql.Identifier(table.name)),
            [sequence, described.get("sequence_next") or 1, sequence],
        )


def _tilesets_announce() -> None:
    """Every tileset announced changed once this commits: a tile cached before the import
    (of the empty instance) is not served again, whichever module draws it. The cache's
    keys also name the database, so a new database starts with none."""
    every_tileset_changed_announce()
