# SPDX-License-Identifier: AGPL-3.0-or-later
"""How the static files travel: under names that change with their content, compressed
(Brotli and gzip, chosen by the browser's Accept-Encoding), cached for a year
(core/cache_control.py).

On a phone network the map page's JavaScript (MapLibre's ~1.6 MB) is most of the wait:
sent as Brotli it is a quarter of that, and a returning visitor's browser asks for none
of it again (tests/bench/test_page_weight.py measures both).
"""

import hashlib
import os
import re

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

# The hash Django's manifest storage puts in a name: twelve hexadecimal digits of the MD5
# of the content, before the extension (map/concertation-map.63dcddf04e11.js).
HASHED_NAME = re.compile(r"\.([0-9a-f]{12})\.[^.]+$")


class HashedCompressedStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's compressed manifest storage, with two differences.

    Our page modules import MapLibre and each other by relative paths: those imports are
    rewritten to the hashed names too (Django's support for JavaScript modules), so that
    a module cached for a year never pulls an older copy of another. And the hashed names
    are used even under DEBUG, where Django's storage would fall back to the plain ones:
    `make run` serves the pages as production does (STATIC_MANIFEST, scripts/run.sh)."""

    support_js_module_import_aggregation = True

    def url(self, name: str | None, force: bool = False) -> str:
        return super().url(name, force=True)

    def create_compressor(self, **kwargs: object) -> Compressor:
        return KeepingCompressor(**kwargs)


class KeepingCompressor(Compressor):
    """Compresses a file only when its compressed copies are not those of its content.

    Brotli at its best ratio takes a second per megabyte: compressing the ~8 MB of
    JavaScript and CSS twice (plain and hashed names) at every collectstatic made
    `make run` start 25 s later. A copy is kept when it was written from the file as it
    is: same modification time (whitenoise gives the copy the file's, and collectstatic
    leaves an unchanged file alone), or a name holding the hash of the content it has
    (collectstatic rewrites those files, unchanged, at every run)."""

    def compress(self, path: str) -> list[str]:
        copies = [path + suffix for suffix in (".br", ".gz") if os.path.exists(path + suffix)]
        if copies and all(self._written_from(path, copy) for copy in copies):
            return copies
        return super().compress(path)

    @staticmethod
    def _written_from(path: str, copy: str) -> bool:
        if os.stat(copy).st_mtime_ns == os.stat(path).st_mtime_ns:
            return True
        name_hash = HASHED_NAME.search(os.path.basename(path))
        if name_hash is None:
            return False
        with open(path, "rb") as source:
            return hashlib.md5(source.read(), usedforsecurity=False).hexdigest()[:12] == (
                name_hash.group(1)
            )

    def write_data(self, path: str, data: bytes, suffix: str, stat_result: os.stat_result) -> str:
        # Written aside then renamed: a copy cut short would be kept by compress() above.
        filename = path + suffix
        partial = f"{filename}.{os.getpid()}.part"
        with open(partial, "wb") as file:
            file.write(data)
        os.utime(partial, ns=(stat_result.st_atime_ns, stat_result.st_mtime_ns))
        os.replace(partial, filename)
        return filename
