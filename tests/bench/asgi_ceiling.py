# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ceiling for serving a cached tile from Python: a bare ASGI app returning bytes
loaded at start-up (from the directory in BENCH_TILES_DIR: <z>_<x>_<y>.mvt files)."""

import os
from pathlib import Path

TILES = {
    "/" + path.stem.replace("_", "/") + ".mvt": path.read_bytes()
    for path in Path(os.environ["BENCH_TILES_DIR"]).glob("*.mvt")
}


async def app(scope, receive, send):
    body = TILES.get(scope["path"], b"")
    await send(
        {
            "type": "http.response.start",
            "status": 200 if body else 204,
            "headers": [(b"content-type", b"application/vnd.mapbox-vector-tile")],
        }
    )
    await send({"type": "http.response.body", "body": body})
