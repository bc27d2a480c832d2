# SPDX-License-Identifier: AGPL-3.0-or-later
"""Unpack an uploaded zip without letting it escape its folder or fill the disk."""

import stat
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from .sources import SourceError

CHUNK = 1024 * 1024


def safe_extract(archive: Path, destination: Path) -> Path:
    """Extract ``archive`` into ``destination``; refuse zip-slip, links and zip bombs.

    Sizes are counted while decompressing, not read from the headers, which a
    crafted archive can fake.
    """
    max_bytes = settings.UPLOAD_MAX_UNCOMPRESSED_BYTES
    max_entries = settings.UPLOAD_MAX_ARCHIVE_ENTRIES
    try:
        bundle = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(
            _("%(name)s is not a valid zip archive.") % {"name": archive.name}
        ) from exc
    with bundle:
        entries = bundle.infolist()
        if not entries:
            raise SourceError(_("%(name)s is empty.") % {"name": archive.name})
        if len(entries) > max_entries:
            raise SourceError(
                _("%(name)s holds %(count)s entries, more than the %(max)s allowed.")
                % {"name": archive.name, "count": len(entries), "max": max_entries}
            )
        root = destination.resolve()
        total = 0
        for entry in entries:
            target = _target_path(entry, root)
            if entry.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(entry) as source, target.open("wb") as sink:
                while chunk := source.read(CHUNK):
                    total += len(chunk)
                    if total > max_bytes:
                        raise SourceError(
                            _("%(name)s expands to more than %(max)s MB: refused.")
                            % {"name": archive.name, "max": max_bytes // (1024 * 1024)}
                        )
                    sink.write(chunk)
    return destination


def _target_path(entry: zipfile.ZipInfo, root: Path) -> Path:
    name = entry.filename
    pure = PurePosixPath(name.replace("\\", "/"))
    mode = entry.external_attr >> 16
    if pure.is_absolute() or ".." in pure.parts or (len(name) > 1 and name[1] == ":"):
        raise SourceError(
            _("The archive entry %(entry)s points outside the archive.") % {"entry": name}
        )
    if stat.S_ISLNK(mode):
        raise SourceError(_("The archive entry %(entry)s is a symbolic link.") % {"entry": name})
    target = (root / pure).resolve()
    if not target.is_relative_to(root):
        raise SourceError(
            _("The archive entry %(entry)s points outside the archive.") % {"entry": name}
        )
    return target
