# SPDX-License-Identifier: AGPL-3.0-or-later
"""The zoning generalised once per version, for the tiles below zoom 12.

A z8 tile of an EPCI draws thousands of zones whose outlines hold tens of thousands of
vertices, for 4096 pixels: simplifying them for every tile costs more than drawing them.
Here the zones of one version are simplified together (GEOS's coverage simplification,
shapely.coverage_simplify: PostGIS 3.3 has no ST_CoverageSimplify), once per zoom band, so
that a boundary two zones share is simplified once and stays shared: no sliver, no gap.
The tiles read the band's rows as they are (plui_documents.layers).
"""

import logging

import shapely
from django.db import connection, transaction

from carto_concertation.core.changes import Area, footprint_changed_announce

from .models import GENERALISED_BANDS, DocumentVersion, GeneralisedZone, UrbanDocument
from .signals import ZONE_FIELDS, ZONING_TILESET

logger = logging.getLogger(__name__)

WEB_MERCATOR_WIDTH = 40075016.68557849
TILE_EXTENT = 4096


def band_tolerance(maxzoom: int) -> float:
    """The tolerance of a band, in Web Mercator metres: a pixel of its last (most
    detailed) zoom, below which the tile's grid cannot tell the difference anyway."""
    return WEB_MERCATOR_WIDTH / (TILE_EXTENT * 2**maxzoom)


def _generalised(coverage: list, tolerance: float) -> list:
    """The coverage simplified; a zone this made invalid keeps its valid part (GEOS keeps
    a valid coverage valid: this is a guard, not a path taken on the real plans)."""
    simplified = shapely.coverage_simplify(coverage, tolerance)
    broken = ~shapely.is_valid(simplified)
    if broken.any():
        logger.warning("Coverage simplification left %s invalid zones", int(broken.sum()))
        simplified[broken] = shapely.make_valid(simplified[broken])
    return [_multi(geometry) for geometry in simplified]


def _coverage(geometries: list) -> list:
    """The zones as a valid coverage, which the simplification needs to keep boundaries
    shared: real plans have zones overlapping (a sector drawn over its zone), given to
    the smaller zone, and outlines that miss each other by a rounding error, snapped."""
    if shapely.coverage_is_valid(geometries):
        return geometries
    return list(shapely.coverage_clean(geometries, merge_strategy="min_area"))


def _multi(geometry):
    if geometry.geom_type == "Polygon":
        return shapely.MultiPolygon([geometry])
    if geometry.geom_type == "MultiPolygon":
        return geometry
    # A collection (make_valid's): its polygons only, the lines it holds have no area.
    parts = shapely.get_parts(geometry)
    polygons = [
        polygon
        for part in parts
        for polygon in (shapely.get_parts(part) if part.geom_type == "MultiPolygon" else [part])
        if polygon.geom_type == "Polygon"
    ]
    return shapely.MultiPolygon(polygons)


@transaction.atomic
def zoning_generalise(*, version: DocumentVersion) -> int:
    """Compute and store the version's generalised zones for every band (again, if they
    were); the tiles they change are announced stale when the version is current.

    Returns the number of rows written."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {', '.join(ZONE_FIELDS)}, ST_AsBinary(geom_3857)"  # noqa: S608 — the code's names
            " FROM plui_documents_zone WHERE version_id = %s ORDER BY id",
            [version.pk],
        )
        rows = cursor.fetchall()
        GeneralisedZone.objects.filter(version=version).delete()
        if not rows:
            return 0
        geometries = shapely.from_wkb([bytes(row[-1]) for row in rows])
        coverage = _coverage(geometries)
        written = 0
        with cursor.copy(
            "COPY plui_documents_generalisedzone"
            f" (version_id, zone_id, {', '.join(ZONE_FIELDS)}, maxzoom, geom_3857) FROM STDIN"
        ) as copy:
            for maxzoom in GENERALISED_BANDS:
                generalised = _generalised(coverage, band_tolerance(maxzoom))
                hexes = shapely.to_wkb(
                    shapely.set_srid(generalised, 3857), hex=True, include_srid=True
                )
                # A zone left empty (a duplicate, no area) has no row: it is not drawn
                # below zoom 12 either way, and GDAL (3.6) writes an empty multipolygon
                # into a GeoPackage with its "empty" flag wrong (the platform archive).
                empty = shapely.is_empty(generalised)
                for row, ewkb, left_out in zip(rows, hexes, empty, strict=True):
                    if not left_out:
                        copy.write_row((version.pk, *row[:-1], maxzoom, ewkb))
                        written += 1
        cursor.execute("ANALYZE plui_documents_generalisedzone")
    if UrbanDocument.objects.filter(pk=version.document_id, current_version=version).exists():
        xmin, ymin, xmax, ymax = shapely.total_bounds(geometries)
        area = Area(bboxes=((xmin, ymin, xmax, ymax),), zooms=range(0, max(GENERALISED_BANDS) + 1))
        footprint_changed_announce(ZONING_TILESET, before=(area,), after=(area,))
    return written
