# SPDX-License-Identifier: AGPL-3.0-or-later
"""Offline packages: the vector tiles of an area in one MBTiles 1.3 file.

MBTiles is an SQLite file by specification, so it is written with Python's sqlite3;
the tiles in it are the very tiles the server serves (tiles.mvt).
"""

import json
import math
import sqlite3
from collections.abc import Callable
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry

from carto_concertation.core.wgs84 import wgs84
from layers.registry import LayerDefinition, field_types

from .cache import tile_gzip, tiles_covering
from .mvt import tile_bytes


def _progress_none(percent: int, message: str) -> None:
    return None


def mbtiles_write(
    target: Path,
    *,
    name: str,
    area: GEOSGeometry,
    layers: list[LayerDefinition],
    minzoom: int,
    maxzoom: int,
    attribution: str,
    progress: Callable[[int, str], None] = _progress_none,
) -> int:
    """Write every non-empty tile of ``layers`` over ``area`` (zooms minzoom..maxzoom).

    Returns the number of tiles written.
    """
    area_3857 = area.transform(3857, clone=True)
    area_wgs84 = wgs84(area)
    plan = [
        (z, x, y)
        for z in range(minzoom, maxzoom + 1)
        for x, y in tiles_covering(area_3857.extent, z)
    ]
    target.unlink(missing_ok=True)
    written = 0
    with sqlite3.connect(target) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute(
            "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)"
        )
        db.execute("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
        for done, (z, x, y) in enumerate(plan, start=1):
            data = tile_bytes(layers, z, x, y)
            if data:
                # MBTiles rows count from the south (TMS): flip XYZ's y.
                db.execute(
                    "INSERT INTO tiles VALUES (?, ?, ?, ?)",
                    (z, x, 2**z - 1 - y, tile_gzip(data)),
                )
                written += 1
            if done % 100 == 0 or done == len(plan):
                progress(math.floor(100 * done / len(plan)), f"{done}/{len(plan)}")
        west, south, east, north = area_wgs84.extent
        center = area_wgs84.centroid
        metadata = {
            "name": name,
            "format": "pbf",
            "type": "overlay",
            "version": "1",
            "description": name,
            "attribution": attribution,
            "minzoom": str(minzoom),
            "maxzoom": str(maxzoom),
            "bounds": f"{west:.6f},{south:.6f},{east:.6f},{north:.6f}",
            "center": f"{center.x:.6f},{center.y:.6f},{minzoom}",
            "json": json.dumps(
                {
                    "vector_layers": [
                        {
                            "id": layer.name,
                            "fields": field_types(layer),
                            "minzoom": layer.minzoom,
                            "maxzoom": layer.maxzoom,
                        }
                        for layer in layers
                    ]
                }
            ),
        }
        db.executemany("INSERT INTO metadata VALUES (?, ?)", metadata.items())
    return written
