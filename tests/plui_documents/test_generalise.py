# SPDX-License-Identifier: AGPL-3.0-or-later
"""The zoning generalised once per version for the tiles below zoom 12, on the real PLUi:
a valid coverage still (no new overlap, no new gap), tiles valid and of the same area as
the source's, z12+ untouched, the cache made stale when it is computed again."""

import json
import math

import mapbox_vector_tile
import pytest
import shapely
from django.core.management import call_command
from django.db import connection

from layers.selectors import tileset_layers
from plui_documents.generalise import band_tolerance
from plui_documents.models import GENERALISED_BANDS, DocumentVersion, GeneralisedZone
from plui_documents.services import plui_import
from tests.factories import DocumentVersionFactory, TerritoryFactory
from tiles import cache as tile_cache
from tiles.mvt import WEB_MERCATOR_WIDTH, tile_bytes, tile_params, tile_statement, visible_layers

from .conftest import CHER_2014, TROIS_PROVINCES

pytestmark = pytest.mark.django_db(transaction=True)
EXTENT = 4096
# Overlap or gap area that does not count, in square Web Mercator metres: coordinates
# are rounded where the generalised outlines are written.
TINY = 1.0


def tile_of(x3857: float, y3857: float, z: int) -> tuple[int, int]:
    size = WEB_MERCATOR_WIDTH / 2**z
    return (
        math.floor((x3857 + WEB_MERCATOR_WIDTH / 2) / size),
        math.floor((WEB_MERCATOR_WIDTH / 2 - y3857) / size),
    )


def not_generalised(version: DocumentVersion) -> None:
    """The version as imported before its small-scale zoning was written."""
    GeneralisedZone.objects.filter(version=version).delete()
    DocumentVersion.objects.filter(pk=version.pk).update(generalised=False)


def tiles_over(version, z: int) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM"
            " (SELECT ST_Extent(geom_3857)::geometry AS e FROM plui_documents_zone"
            " WHERE version_id = %s) AS extent",
            [version.pk],
        )
        xmin, ymin, xmax, ymax = cursor.fetchone()
    west, north = tile_of(xmin, ymax, z)
    east, south = tile_of(xmax, ymin, z)
    return [(x, y) for x in range(west, east + 1) for y in range(north, south + 1)]


def geometries(sql: str, params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(shapely.from_wkb([bytes(row[0]) for row in cursor.fetchall()]))


def band(version, maxzoom: int) -> tuple[list, list]:
    """The source zones and their generalisation for a band, in the same order; a zone
    the generalisation left out (no row) as an empty polygon."""
    # No empty row: GDAL would write it into the platform archive's GeoPackage with its
    # "empty" flag wrong.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM plui_documents_generalisedzone"
            " WHERE version_id = %s AND maxzoom = %s AND ST_IsEmpty(geom_3857)",
            [version.pk, maxzoom],
        )
        assert cursor.fetchone()[0] == 0
    source = geometries(
        "SELECT ST_AsBinary(geom_3857) FROM plui_documents_zone WHERE version_id = %s ORDER BY id",
        [version.pk],
    )
    generalised = geometries(
        "SELECT ST_AsBinary(COALESCE(g.geom_3857, 'POLYGON EMPTY'::geometry))"
        " FROM plui_documents_zone z LEFT JOIN plui_documents_generalisedzone g"
        " ON g.zone_id = z.id AND g.maxzoom = %s"
        " WHERE z.version_id = %s ORDER BY z.id",
        [maxzoom, version.pk],
    )
    return source, generalised


def holes(geometry) -> shapely.Geometry:
    """The gaps inside a union: its interior rings, as polygons."""
    rings = [
        shapely.Polygon(ring)
        for polygon in shapely.get_parts(geometry)
        for ring in polygon.interiors
    ]
    return shapely.union_all(rings) if rings else shapely.Polygon()


@pytest.mark.parametrize("delivery", [TROIS_PROVINCES, CHER_2014], ids=["2017", "2014"])
def test_the_generalised_zoning_is_a_valid_coverage_like_the_source(delivery):
    version, _report = plui_import(path=delivery, analyse=False)

    for maxzoom in GENERALISED_BANDS:
        source, generalised = band(version, maxzoom)
        # On the zoom's pixel grid, what is smaller than a few pixels may collapse, as it
        # does in a tile drawn from the source (ST_AsMVTGeom snaps to the same grid).
        collapsed = 4 * band_tolerance(maxzoom) ** 2
        assert all(shapely.is_valid(generalised)), maxzoom
        drawn = [zone for zone in generalised if not zone.is_empty]
        assert shapely.coverage_is_valid(drawn), maxzoom
        # On the zoom's pixel grid: a tile moves and scales them, nothing more.
        pixels = shapely.get_coordinates(drawn) / band_tolerance(maxzoom)
        assert abs(pixels - pixels.round()).max() < 1e-6, maxzoom
        # A zone is left out only where it added nothing: a duplicate, no area, or less
        # than a few pixels.
        for index in shapely.is_empty(generalised).nonzero()[0]:
            others = shapely.union_all(
                [zone for other, zone in enumerate(source) if other != index]
            )
            assert source[index].difference(others).area <= collapsed, (maxzoom, index)
        # Fewer vertices: the point of it.
        assert shapely.get_num_coordinates(generalised).sum() < 0.8 * (
            shapely.get_num_coordinates(source).sum()
        )
        # No overlap between neighbours (the source's own overlaps, which the import
        # reports, are given to the smaller zone).
        tree = shapely.STRtree(generalised)
        pairs = tree.query(generalised, predicate="intersects")
        for a, b in pairs.T[pairs[0] < pairs[1]]:
            overlap = generalised[a].intersection(generalised[b]).area
            assert overlap <= TINY, (maxzoom, a, b, overlap)
        # No gap the source did not have: each gap of the generalised union is one of
        # the source's (its outline simplified as the zones' are).
        before = holes(shapely.union_all(source))
        for gap in shapely.get_parts(holes(shapely.union_all(generalised))):
            assert gap.area <= TINY or gap.intersects(before), (maxzoom, gap.wkt[:80])
        # The area covered moves only at the outer boundary, and little.
        assert shapely.union_all(generalised).area == pytest.approx(
            shapely.union_all(source).area, rel=0.001
        )


def decoded_polygons(data: bytes) -> list:
    tile = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})
    inside = shapely.box(0, 0, EXTENT, EXTENT)
    return [
        shapely.geometry.shape(feature["geometry"]).intersection(inside)
        for feature in tile.get("zones", {}).get("features", [])
    ]


def source_area(version, z: int, x: int, y: int) -> float:
    """The area of the source zones within the tile, in the tile's square pixels."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(ST_Area(ST_Intersection(geom_3857, ST_TileEnvelope(%s, %s, %s)))), 0)"
            " FROM plui_documents_zone WHERE version_id = %s",
            [z, x, y, version.pk],
        )
        area = cursor.fetchone()[0]
    pixel = WEB_MERCATOR_WIDTH / (EXTENT * 2**z)
    return area / pixel**2


@pytest.mark.parametrize("z", [8, 9, 10, 11])
def test_small_scale_tiles_are_valid_and_keep_the_area(z):
    version, _report = plui_import(path=TROIS_PROVINCES, analyse=False)
    zoning = tileset_layers("zoning")
    statement = tile_statement(visible_layers(zoning, z))
    assert "plui_documents_generalisedzone" in statement

    checked = 0
    for x, y in tiles_over(version, z):
        data = tile_bytes(zoning, z, x, y)
        expected = source_area(version, z, x, y)
        if expected < 1000:  # a corner of the plan: too few pixels for 1 %
            continue
        polygons = decoded_polygons(data)
        assert all(polygon.is_valid for polygon in polygons), (z, x, y)
        assert sum(polygon.area for polygon in polygons) == pytest.approx(expected, rel=0.01)
        checked += 1
    assert checked


def test_zoom_12_and_above_are_untouched_and_small_scales_change():
    steps = []
    version, _report = plui_import(
        path=TROIS_PROVINCES, analyse=False, progress=lambda percent, message: steps.append(percent)
    )
    assert 80 in steps  # the generalisation's own step, between writing and the règlement
    zoning = tileset_layers("zoning")
    z12 = [(12, x, y) for x, y in tiles_over(version, 12)][:6]
    z10 = [(10, x, y) for x, y in tiles_over(version, 10)]
    generalised = {tile: tile_bytes(zoning, *tile) for tile in z12 + z10}

    not_generalised(version)  # the source, as before

    assert all(tile_bytes(zoning, *tile) == generalised[tile] for tile in z12)
    assert all(visible_layers(zoning, 12)[i] is zoning[i] for i in range(3))
    source = {tile: tile_bytes(zoning, *tile) for tile in z10}
    assert any(source[tile] != generalised[tile] for tile in z10)
    # Drawn from the source until generalised: each zone once, either way.
    for tile in z10:
        ids = [f["id"] for f in mapbox_vector_tile.decode(source[tile])["zones"]["features"]]
        again = mapbox_vector_tile.decode(generalised[tile])["zones"]["features"]
        assert len(ids) == len(set(ids))
        assert len(again) == len({f["id"] for f in again})


def test_the_small_scale_tiles_read_the_band_of_their_zoom():
    zoning = tileset_layers("zoning")
    for z, maxzoom in ((8, 8), (9, 9), (10, 10), (11, 11)):
        statement = tile_statement(visible_layers(zoning, z))
        assert f"FROM plui_documents_generalisedzone WHERE maxzoom = {maxzoom}" in statement
        # The generalised rows only moved and scaled to the tile, not simplified nor
        # snapped and validated again by ST_AsMVTGeom (the source's, until generalised, are).
        generalised = statement.split("FROM plui_documents_generalisedzone WHERE")[0]
        assert "ST_TransScale(geom_3857" in generalised.split("SELECT zone_id AS id")[1]
        assert "ST_AsMVTGeom" not in generalised.split("SELECT zone_id AS id")[1]


def test_the_command_generalises_what_is_missing_and_makes_the_tiles_stale(client):
    version, _report = plui_import(path=TROIS_PROVINCES, analyse=False)
    not_generalised(version)
    (x10, y10), (x14, y14) = tiles_over(version, 10)[0], tiles_over(version, 14)[0]
    client.get(f"/tiles/zoning/10/{x10}/{y10}.mvt")
    client.get(f"/tiles/zoning/14/{x14}/{y14}.mvt")
    low_key, low_cached = tile_cache.tile_lookup("zoning", 10, x10, y10)
    high = tile_cache.tile_lookup("zoning", 14, x14, y14)
    assert low_cached is not None and high[1] is not None

    call_command("generalise_zoning")

    # A row per zone and band, but for the zones it leaves empty (a duplicate, no area,
    # less than a few pixels of the band's zoom).
    rows = GeneralisedZone.objects.filter(version=version).count()
    most = len(GENERALISED_BANDS) * version.zones.count()
    assert 0.9 * most <= rows <= most
    new_key, new_cached = tile_cache.tile_lookup("zoning", 10, x10, y10)
    assert new_key != low_key and new_cached is None
    assert tile_cache.tile_lookup("zoning", 14, x14, y14) == high  # z12+ unchanged: kept
    # Done already: nothing to do, unless asked again.
    call_command("generalise_zoning")
    assert tile_cache.tile_lookup("zoning", 10, x10, y10)[0] == new_key
    call_command("generalise_zoning", "--again")
    assert tile_cache.tile_lookup("zoning", 10, x10, y10)[0] != new_key


def test_the_versions_still_drawn_from_their_source_are_found_without_a_probe_per_plan():
    """Below zoom 12 a tile draws, from their source, the current versions not generalised
    yet: found among the versions not generalised (DocumentVersion.generalised, its partial
    index), not by looking each plan's rows up (issue 24: 3.4 ms of a 7.4 ms z10 tile
    with 566 plans)."""
    waiting = DocumentVersionFactory(document__territory=TerritoryFactory(communes=2), zoned=True)
    for _ in range(60):
        DocumentVersionFactory(generalised=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE plui_documents_documentversion")
        cursor.execute("ANALYZE plui_documents_urbandocument")
    zoning = tileset_layers("zoning")
    (x, y) = tiles_over(waiting, 10)[0]
    statement = tile_statement(visible_layers(zoning, 10))
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # as with thousands of versions
        try:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", tile_params(10, x, y))
            plan = json.dumps(cursor.fetchone()[0])
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "genzone_version_band" not in plan
    assert "docversion_to_generalise" in plan
    # The version waiting is drawn from its source meanwhile.
    features = mapbox_vector_tile.decode(tile_bytes(zoning, 10, x, y))["zones"]["features"]
    assert {f["id"] for f in features} <= set(waiting.zones.values_list("pk", flat=True))
    assert features
