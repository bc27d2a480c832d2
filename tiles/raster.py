# SPDX-License-Identifier: AGPL-3.0-or-later
"""Raster tiles from the Cloud-Optimized GeoTIFFs of layers.rasters.

The COGs are already in Web Mercator (warped once at upload), so a tile is one
windowed read, which GDAL serves from the overview closest to the tile's resolution.
"""

import numpy as np
import rasterio
from rasterio.enums import ColorInterp, Resampling
from rasterio.io import MemoryFile
from rasterio.windows import from_bounds

from .mvt import WEB_MERCATOR_WIDTH

TILE_SIZE = 256
HALF = WEB_MERCATOR_WIDTH / 2


def tile_bounds_3857(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    size = WEB_MERCATOR_WIDTH / 2**z
    west, north = -HALF + x * size, HALF - y * size
    return west, north - size, west + size, north


def raster_tile_png(path: str, z: int, x: int, y: int) -> bytes | None:
    """The 256-px PNG of a tile, transparent where there is no data; None outside."""
    west, south, east, north = tile_bounds_3857(z, x, y)
    with rasterio.open(path) as src:
        left, bottom, right, top = src.bounds
        if east <= left or west >= right or north <= bottom or south >= top:
            return None
        window = from_bounds(west, south, east, north, transform=src.transform)
        shape = (TILE_SIZE, TILE_SIZE)
        colour = [i + 1 for i, interp in enumerate(src.colorinterp) if interp != ColorInterp.alpha]
        data = src.read(
            colour,
            window=window,
            out_shape=(len(colour), *shape),
            boundless=True,
            fill_value=0,
            resampling=Resampling.bilinear,
        )
        mask = src.dataset_mask(
            window=window, out_shape=shape, boundless=True, resampling=Resampling.nearest
        )
    if data.dtype != np.uint8:
        data = _to_bytes(data)
    bands = np.concatenate([data, mask[np.newaxis, :, :].astype(np.uint8)])
    with MemoryFile() as memory:
        with memory.open(
            driver="PNG", width=TILE_SIZE, height=TILE_SIZE, count=bands.shape[0], dtype="uint8"
        ) as png:
            png.write(bands)
        return memory.read()


def _to_bytes(data: np.ndarray) -> np.ndarray:
    """Stretch other data types to 0–255 (a DEM, a 16-bit scan) for display."""
    low, high = np.nanmin(data), np.nanmax(data)
    scale = 255 / (high - low) if high > low else 0
    return ((data - low) * scale).clip(0, 255).astype(np.uint8)
