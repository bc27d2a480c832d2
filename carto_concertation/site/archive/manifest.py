# SPDX-License-Identifier: AGPL-3.0-or-later
"""The archive's manifest (manifest.json) and the checks of its files.

The manifest names the format and its version, the date, the SRID, the migrations the
instance had run, each table (its file, its columns, its row count, its sequence), and
every other file of the archive with its size and SHA-256. An archive is read only when
every file it lists is there, whole, and nothing else is (docs/reversibility.md).
"""

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import Any

from django.utils.translation import gettext as _

FORMAT = "carto-concertation-platform-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"


_COLUMN = {
    "type": "object",
    "required": ["name", "type", "nullable"],
    "properties": {
        "name": {"type": "string"},
        "type": {"type": "string", "description": "PostgreSQL's type name"},
        "nullable": {"type": "boolean"},
        "references": {"type": "string", "description": "the reference table it points to"},
    },
}
_TABLE = {
    "type": "object",
    "required": ["name", "model", "role", "file", "rows", "primary_key", "columns"],
    "properties": {
        "name": {"type": "string"},
        "model": {"type": "string"},
        "description": {"type": "string"},
        "role": {"enum": ["data", "reference"]},
        "file": {"type": "string"},
        "layer": {"type": "string", "description": "its layer in the GeoPackage"},
        "schema": {"type": "string", "description": "the JSON Schema of its JSON file"},
        "rows": {"type": "integer", "minimum": 0},
        "primary_key": {"type": "string"},
        "sequence_next": {"type": ["integer", "null"]},
        "columns": {"type": "array", "items": _COLUMN},
        "geometry": {
            "type": "object",
            "required": ["column", "srid", "type"],
            "properties": {
                "column": {"type": "string"},
                "srid": {"type": "integer"},
                "type": {"type": "string"},
            },
        },
    },
}
# The manifest's own JSON Schema, written in every archive (schema/manifest.schema.json).
MANIFEST_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "schema/manifest.schema.json",
    "title": "manifest.json",
    "description": "What the archive holds: docs/reversibility.md.",
    "type": "object",
    "required": ["format", "format_version", "created_at", "srid", "migrations", "tables", "files"],
    "properties": {
        "format": {"const": FORMAT},
        "format_version": {"const": FORMAT_VERSION},
        "created_at": {"type": "string", "format": "date-time"},
        "srid": {"type": "integer"},
        "personal_data": {"type": "string"},
        "migrations": {"type": "array", "items": {"type": "string"}},
        "tables": {"type": "array", "items": _TABLE},
        "media": {
            "type": "object",
            "properties": {
                "directory": {"type": "string"},
                "files": {"type": "integer"},
                "missing": {"type": "array", "items": {"type": "string"}},
            },
        },
        "files": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["bytes", "sha256"],
                "properties": {
                    "bytes": {"type": "integer", "minimum": 0},
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                },
            },
        },
    },
}


class ArchiveRefused(Exception):
    """The archive, or the instance it would go into, is refused; nothing was written."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def files_describe(root: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    return {
        name: {"bytes": (root / name).stat().st_size, "sha256": sha256_of(root / name)}
        for name in sorted(names)
    }


def safe_relative(name: str) -> PurePosixPath:
    """A path the archive may name: relative, inside it, no "..": a tampered manifest
    must not reach a file outside the archive or MEDIA_ROOT."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name or str(path) != name:
        raise ArchiveRefused(_("%(file)s: not a path inside the archive.") % {"file": name})
    return path


def manifest_read(root: Path) -> dict[str, Any]:
    """The manifest, once every file it lists is checked (size, SHA-256) and no other
    file is found; ArchiveRefused names the first file that fails."""
    if not root.is_dir():
        raise ArchiveRefused(_("%(dir)s: no such directory.") % {"dir": root})
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ArchiveRefused(_("%(file)s: missing.") % {"file": MANIFEST}) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ArchiveRefused(
            _("%(file)s: not valid JSON (%(error)s).") % {"file": MANIFEST, "error": error}
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRefused(
            _("%(file)s: not a platform archive (format %(format)s expected).")
            % {"file": MANIFEST, "format": FORMAT}
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveRefused(
            _("%(file)s: format version %(found)s, this version reads %(expected)s.")
            % {
                "file": MANIFEST,
                "found": manifest.get("format_version"),
                "expected": FORMAT_VERSION,
            }
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or not isinstance(manifest.get("tables"), list):
        raise ArchiveRefused(_("%(file)s: no list of files or tables.") % {"file": MANIFEST})
    for name, described in sorted(files.items()):
        safe_relative(name)
        path = root / name
        if path.is_symlink() or not path.resolve().is_relative_to(root.resolve()):
            # A link would read (and copy into MEDIA_ROOT) a file outside the archive.
            raise ArchiveRefused(_("%(file)s: not a path inside the archive.") % {"file": name})
        if not path.is_file():
            raise ArchiveRefused(_("%(file)s: missing.") % {"file": name})
        if not isinstance(described, dict) or path.stat().st_size != described.get("bytes"):
            raise ArchiveRefused(
                _("%(file)s: its size is not the manifest's (truncated or changed).")
                % {"file": name}
            )
        if sha256_of(path) != described.get("sha256"):
            raise ArchiveRefused(
                _("%(file)s: its SHA-256 is not the manifest's (changed).") % {"file": name}
            )
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_file() and name != MANIFEST and name not in files:
            raise ArchiveRefused(
                _("%(file)s: not listed in the manifest (added).") % {"file": name}
            )
    _tables_check(manifest, files)
    return manifest


def _tables_check(manifest: dict[str, Any], files: dict[str, Any]) -> None:
    """The tables' entries hold what the import reads (MANIFEST_SCHEMA's, checked by hand:
    the import needs no validator)."""

    def text(value: Any) -> bool:
        return isinstance(value, str) and bool(value)

    migrations = manifest.get("migrations")
    well_formed = isinstance(migrations, list) and all(map(text, migrations))
    for table in manifest["tables"]:
        well_formed = (
            well_formed
            and isinstance(table, dict)
            and all(text(table.get(key)) for key in ("name", "file", "primary_key"))
            and isinstance(table.get("rows"), int)
            and not isinstance(table.get("rows"), bool)
            and isinstance(table.get("columns"), list)
            and all(
                isinstance(column, dict) and text(column.get("name")) and text(column.get("type"))
                for column in table["columns"]
            )
            and isinstance(table.get("geometry", {}), dict)
        )
        if not well_formed:
            raise ArchiveRefused(
                _("%(file)s: a table or the migrations are not described as the format says.")
                % {"file": MANIFEST}
            )
        if table["file"] not in files:
            raise ArchiveRefused(_("%(file)s: a table's file is not listed.") % {"file": MANIFEST})
