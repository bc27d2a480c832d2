# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reading a file or a service with pyogrio's bundled GDAL (3.12, as recent QGIS reads
it), in a process of its own: two GDAL libraries in one process (Django's is Debian's
3.6) crash it."""

import json
import subprocess
import sys

from django.contrib.gis.geos import GEOSGeometry

READ = """
import json, sys
import pyogrio.raw
meta, fids, geometries, _fields = pyogrio.raw.read(
    sys.argv[1], return_fids=True, **json.loads(sys.argv[2])
)
print(json.dumps({"crs": meta["crs"], "fids": [int(f) for f in fids],
                  "wkb": [bytes(g).hex() for g in geometries]}))
"""


def _run(script: str, source: str, options: dict[str, str]):
    done = subprocess.run(
        [sys.executable, "-c", script, source, json.dumps(options)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def gdal_3_12(url: str, **open_options: str) -> tuple[str, list[int], list[GEOSGeometry]]:
    """The CRS, fids and geometries GDAL 3.12 reads."""
    read = _run(READ, url, open_options)
    return (
        read["crs"],
        read["fids"],
        [GEOSGeometry(memoryview(bytes.fromhex(g))) for g in read["wkb"]],
    )


READ_MOMENTS = """
import json, sys
import pyogrio.raw
meta, fids, _geometries, fields = pyogrio.raw.read(
    sys.argv[1], return_fids=True, **json.loads(sys.argv[2])
)
names = list(meta["fields"])
print(json.dumps([
    {name: str(fields[i][n]) for i, name in enumerate(names)
     if str(fields[i].dtype).startswith("datetime64")} | {"fid": int(fid)}
    for n, fid in enumerate(fids)
]))
"""


def moments_read(source: str, **options: str) -> list[dict[str, str]]:
    """Each feature's fid and date-times as GDAL 3.12 reads them (numpy's datetime64
    carries no zone: the wall-clock time written, to the millisecond)."""
    return _run(READ_MOMENTS, source, options)
