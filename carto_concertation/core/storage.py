# SPDX-License-Identifier: AGPL-3.0-or-later
"""The media disk full: a file that does not fit is refused whole (MediaFull), never
kept half-written; core.middleware.MediaFullRefused answers the person in French."""

import errno
import os
import shutil
from pathlib import Path

from django.core.files.storage import FileSystemStorage

NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT})


class MediaFull(OSError):
    """The media disk has no room left for a file; nothing of it was kept."""


class MediaStorage(FileSystemStorage):
    """MEDIA_ROOT's storage (STORAGES["default"]): Django leaves the part of a file
    written before the disk filled up; this one deletes it and raises MediaFull."""

    def _save(self, name: str, content) -> str:
        path = self.path(name)
        existed = os.path.exists(path)
        try:
            return super()._save(name, content)
        except OSError as error:
            if error.errno not in NO_ROOM:
                raise
            if not existed:
                Path(path).unlink(missing_ok=True)
            raise MediaFull(error.errno, error.strerror) from error


def folder_written_whole(folder: Path, write) -> object:
    """``write()`` files into ``folder`` (created here); if the disk fills up, the
    folder goes and MediaFull is raised."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return write()
    except OSError as error:
        if error.errno not in NO_ROOM:
            raise
        shutil.rmtree(folder, ignore_errors=True)
        raise MediaFull(error.errno, error.strerror) from error
