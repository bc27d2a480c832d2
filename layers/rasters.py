# SPDX-License-Identifier: AGPL-3.0-or-later
"""GeoTIFF to Cloud-Optimized GeoTIFF, warped once to Web Mercator (rasterio)."""

import math
from dataclasses import dataclass
from pathlib import Path

import rasterio
import rasterio.shutil
from affine import Affine
from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext as _
from rasterio.errors import RasterioError
from rasterio.warp import transform_bounds

from .sources import SourceError

WEB_MERCATOR_Z0_RESOLUTION = 2 * math.pi * 6378137 / 256  # metres per pixel at zoom 0


@dataclass(frozen=True)
class CogFacts:
    source_crs: str
    footprint: Polygon  # WGS84
    width: int
    height: int
    band_count: int
    minzoom: int
    maxzoom: int


def cog_convert(source: Path, target: Path) -> CogFacts:
    """Write ``target`` as a COG in EPSG:3857 with overviews; refuse non-georeferenced images.

    Warping at upload, not at every tile, is what makes raster tiles fast (about twice
    the tiles per second, measured before any code).
    """
    try:
        with rasterio.open(source) as src:
            if src.crs is None or src.transform == Affine.identity():
                raise SourceError(
                    _("%(name)s is not georeferenced (no coordinate system or no geotransform).")
                    % {"name": source.name},
                    field="file",
                )
            west, south, east, north = transform_bounds(
                src.crs, "EPSG:4326", *src.bounds, densify_pts=21
            )
            source_crs = src.crs.to_string()
            band_count = src.count
            rasterio.shutil.copy(
                src,
                target,
                driver="COG",
                TILING_SCHEME="GoogleMapsCompatible",
                COMPRESS="DEFLATE",
                RESAMPLING="BILINEAR",
                OVERVIEWS="AUTO",
                BLOCKSIZE=256,
            )
        with rasterio.open(target) as cog:
            maxzoom = max(0, round(math.log2(WEB_MERCATOR_Z0_RESOLUTION / cog.res[0])))
            minzoom = max(0, maxzoom - len(cog.overviews(1)) - 1)
            facts = CogFacts(
                source_crs=source_crs,
                footprint=Polygon.from_bbox((west, south, east, north)),
                width=cog.width,
                height=cog.height,
                band_count=band_count,
                minzoom=minzoom,
                maxzoom=maxzoom,
            )
    except RasterioError as exc:
        raise SourceError(
            _("%(name)s is not a raster GDAL can read (%(error)s).")
            % {"name": source.name, "error": exc},
            field="file",
        ) from exc
    facts.footprint.srid = 4326
    return facts
