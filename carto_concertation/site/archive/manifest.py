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
    for table in manifest["tables"]:
        if not isinstance(table, dict) or table.get("file") not in files:
            raise ArchiveRefused(_("%(file)s: a table's file is not listed.") % {"file": MANIFEST})
    return manifest
