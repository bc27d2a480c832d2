# SPDX-License-Identifier: AGPL-3.0-or-later
"""The zoning generalised once per version, for the tiles below zoom 12.

A z8 tile of an EPCI draws thousands of zones whose outlines hold tens of thousands of
vertices, for 4096 pixels: simplifying them for every tile costs more than drawing them.
Here the zones of one version are simplified together (GEOS's coverage simplification,
shapely.coverage_simplify: PostGIS 3.3 has no ST_CoverageSimplify), once per zoom below
12, so that a boundary two zones share is simplified once and stays shared: no sliver, no
gap. Each zoom's outlines are then snapped to that zoom's pixel grid, all together so
that they stay a coverage, and oriented as a tile wants them: a tile only moves and
scales them to its own coordinates (plui_documents.layers). ST_AsMVTGeom, which snaps,
clips and validates every outline again for every tile, took nine tenths of a z8 tile
(measured).
"""

from collections.abc import Callable

import numpy as np
import shapely
from django.db import connection, transaction

from carto_concertation.core.changes import Area, footprint_changed_announce

from .models import GENERALISED_BANDS, DocumentVersion, GeneralisedZone, UrbanDocument
from .signals import ZONE_FIELDS, ZONING_TILESET

WEB_MERCATOR_WIDTH = 40075016.68557849
TILE_EXTENT = 4096


def band_tolerance(maxzoom: int) -> float:
    """The tolerance of a band, in Web Mercator metres: a pixel of its zoom, below which
    the tile's grid cannot tell the difference anyway; also the grid it is snapped to
    (the world's corner, at ±WEB_MERCATOR_WIDTH / 2, is on it, and so is every tile's)."""
    return WEB_MERCATOR_WIDTH / (TILE_EXTENT * 2**maxzoom)


def _generalised(coverage: list, tolerance: float) -> list:
    """The coverage simplified and put on the grid, exterior rings clockwise (a tile
    flips the y axis: they are then as MVT wants them). A zone narrower than a pixel or
    two may be left empty, as it vanishes from a tile drawn from the source."""
    simplified = shapely.coverage_simplify(coverage, tolerance)
    on_grid = _on_grid(simplified, tolerance)
    return [_multi(geometry) for geometry in shapely.orient_polygons(on_grid, exterior_cw=True)]


def _on_grid(coverage: np.ndarray, grid: float) -> np.ndarray:
    """The coverage snapped to the grid as a whole, so that it stays a coverage: every
    outline noded and snap-rounded together (GEOS's OverlayNG), the faces they enclose
    each given to the zone holding most of it (_faces_zones). Snapping the zones one by
    one rounded a shared boundary two ways: overlaps and gaps of a few pixels (measured)."""
    lines = shapely.union_all(shapely.boundary(coverage), grid_size=grid)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    face_of, zone_of = _faces_zones(faces, coverage)
    result = np.full(len(coverage), shapely.Polygon(), dtype=object)
    order = np.argsort(zone_of, kind="stable")
    zones, starts = np.unique(zone_of[order], return_index=True)
    for zone, its_faces in zip(zones, np.split(face_of[order], starts[1:]), strict=True):
        result[zone] = shapely.coverage_union_all(faces[its_faces])
    return result


def _faces_zones(faces: np.ndarray, coverage: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each face with the zone holding most of it: the zone its inner point lies in, when
    that zone holds more than half of it (nearly always); otherwise, the zone sharing the
    most area, of those overlapping it (a point inside the face may fall in the half pixel
    by which a neighbour's outline moved, and a face at a junction of several zones, a
    pixel or two wide, may be held by none for the most part). A face mostly in no zone
    is a gap of the plan and stays one."""
    tree = shapely.STRtree(coverage)
    face_of, zone_of = tree.query(shapely.point_on_surface(faces), predicate="within")
    face_of, first = np.unique(face_of, return_index=True)
    zone_of = zone_of[first]
    areas = shapely.area(faces)
    held = shapely.area(shapely.intersection(faces[face_of], coverage[zone_of])) > (
        areas[face_of] / 2
    )
    doubtful = np.setdiff1d(np.arange(len(faces)), face_of[held])
    pair_face, pair_zone = tree.query(faces[doubtful], predicate="intersects")
    pair_face = doubtful[pair_face]
    shared = shapely.area(shapely.intersection(faces[pair_face], coverage[pair_zone]))
    covered = np.bincount(pair_face, weights=shared, minlength=len(faces))
    order = np.lexsort((-shared, pair_face))
    best_face, first = np.unique(pair_face[order], return_index=True)
    best_zone = pair_zone[order][first]
    kept = covered[best_face] > areas[best_face] / 2
    return (
        np.concatenate([face_of[held], best_face[kept]]),
        np.concatenate([zone_of[held], best_zone[kept]]),
    )


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
def zoning_generalise(
    *, version: DocumentVersion, progress: Callable[[int, int], None] = lambda done, total: None
) -> int:
    """Compute and store the version's generalised zones for every band (again, if they
    were); the tiles they change are announced stale when the version is current.
    ``progress`` hears the bands done, of how many.

    Returns the number of rows written."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {', '.join(ZONE_FIELDS)}, ST_AsBinary(geom_3857)"  # noqa: S608 — the code's names
            " FROM plui_documents_zone WHERE version_id = %s ORDER BY id",
            [version.pk],
        )
        rows = cursor.fetchall()
        GeneralisedZone.objects.filter(version=version).delete()
        DocumentVersion.objects.filter(pk=version.pk).update(generalised=True)
        if not rows:
            return 0
        geometries = shapely.from_wkb([bytes(row[-1]) for row in rows])
        coverage = _coverage(geometries)
        written = 0
        with cursor.copy(
            "COPY plui_documents_generalisedzone"
            f" (version_id, zone_id, {', '.join(ZONE_FIELDS)}, maxzoom, geom_3857) FROM STDIN"
        ) as copy:
            for done, maxzoom in enumerate(GENERALISED_BANDS):
                progress(done, len(GENERALISED_BANDS))
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
