# SPDX-License-Identifier: AGPL-3.0-or-later
"""The media disk full: a file that does not fit is refused whole (MediaFull), never
kept half-written; core.middleware.MediaFullRefused answers the person in French.

The same for the disk an upload is spooled to before any view sees it (uploads above
FILE_UPLOAD_MAX_MEMORY_SIZE go to FILE_UPLOAD_TEMP_DIR): UploadSpoolFull names the field.
"""

import errno
import os
import shutil
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.core.files.uploadhandler import TemporaryFileUploadHandler

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


class UploadSpoolFull(MediaFull):
    """The temporary directory had no room for an upload (``field``); its part is gone."""

    def __init__(self, errno_: int, strerror: str, field: str) -> None:
        super().__init__(errno_, strerror)
        self.field = field


class SpoolFullRefusingUploadHandler(TemporaryFileUploadHandler):
    """Django's handler of big uploads (FILE_UPLOAD_HANDLERS), which let the full disk's
    OSError end in a 500 and left the temporary file to the garbage collector: the part
    written is deleted at once and UploadSpoolFull raised."""

    def new_file(self, *args, **kwargs) -> None:
        self._room_or_refuse(super().new_file, *args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int):
        return self._room_or_refuse(super().receive_data_chunk, raw_data, start)

    def file_complete(self, file_size: int):
        # The last bytes may still be in the buffer: the seek of file_complete writes them.
        return self._room_or_refuse(super().file_complete, file_size)

    def _room_or_refuse(self, write, *args, **kwargs):
        try:
            return write(*args, **kwargs)
        except OSError as error:
            if error.errno not in NO_ROOM:
                raise
            spooled = getattr(self, "file", None)
            if spooled is not None:
                try:
                    spooled.close()  # a NamedTemporaryFile: closing deletes it
                except OSError:  # the buffer's flush fails again on a full disk
                    Path(spooled.temporary_file_path()).unlink(missing_ok=True)
            raise UploadSpoolFull(error.errno, error.strerror, field=self.field_name) from error
