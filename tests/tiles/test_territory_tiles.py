# SPDX-License-Identifier: AGPL-3.0-or-later
"""A plan version made current makes stale its territory's zoning tiles only (issue 24,
points 3 and 5): on a platform of fifty territories, another territory's cached tiles
are still served from the cache, at every zoom, while the changed territory's are made
again — in this process and in two web processes that held them in memory. Then the
warm job makes only what went stale. A large box is invalidated at a bounded cost. And a
concertation opened makes stale the site-wide ideas' tiles under its ideas only."""

import gzip
import http.client
import math

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.services import concertation_save
from plui_documents.services import plui_import
from tests.core.servers import Server, web_server
from tests.factories import TerritoryFactory, UserFactory
from tests.factories.geometry import square
from tests.factories.plui_documents import DocumentVersionFactory, ZoneFactory
from tests.worlds import make_idea, small_world
from tiles import cache as tile_cache
from tiles.warming import REASON_PLAN, tiles_warm_run, warm_plan, warm_work

from ..plui_documents.conftest import TROIS_PROVINCES
from .test_vector_tiles import tile_of

pytestmark = pytest.mark.django_db(transaction=True)

# Zooms a resident's map asks for: warmed ones, one below and beyond AREA_ZOOM, the last.
ZOOMS = (8, 10, 13, 14, 16, 18)
# 300 km east of the Trois Provinces: another territory of the region.
ELSEWHERE = 60


@pytest.fixture
def caching(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.TILE_CACHE_ENABLED = True
    return settings


def other_territory_plan():
    """A second territory with its own current plan, far from the Trois Provinces."""
    territory = TerritoryFactory(geom=square(ELSEWHERE, size=10_000))
    version = DocumentVersionFactory(document__territory=territory)
    zones = [ZoneFactory(version=version, geom=square(ELSEWHERE + i)) for i in range(2)]
    return zones[0]


def tiles_over(geom, zooms=ZOOMS) -> list[tuple[int, int, int]]:
    """The tiles of a point inside ``geom`` (storage SRID), at these zooms."""
    xmin, ymin, xmax, ymax = geom.extent
    point = Point(xmin + (xmax - xmin) / 4, ymin + (ymax - ymin) / 4, srid=geom.srid)
    point.transform(3857)
    return [(z, *tile_of(point.x, point.y, z)) for z in zooms]


def served(client, z: int, x: int, y: int) -> tuple[str, bool]:
    """The ETag of a resident's request and whether it ran a tile statement (not cached)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/tiles/zoning/{z}/{x}/{y}.mvt", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code in (200, 204), response.status_code
    made = any("ST_AsMVT" in query["sql"] for query in queries.captured_queries)
    return response.get("ETag"), made


def test_a_plan_made_current_leaves_the_other_territories_tiles_cached(client, caching):
    other = other_territory_plan()
    TerritoryFactory(siren="241800432")
    first, _report = plui_import(path=TROIS_PROVINCES, analyse=False)
    # A zone of the first version that the second has not (a zone deleted): its tiles
    # change too, through the footprint of the version replaced.
    gone = ZoneFactory(version=first, geom=square(ELSEWHERE - 30))
    changed = tiles_over(first.zones.exclude(pk=gone.pk).first().geom)
    elsewhere = tiles_over(other.geom)
    removed = tiles_over(gone.geom, zooms=(14, 18))
    cached = {tile: served(client, *tile) for tile in (*changed, *elsewhere, *removed)}
    assert all(made for _etag, made in cached.values())  # made, not cached before
    assert not any(served(client, *tile)[1] for tile in cached)  # now cached

    plui_import(path=TROIS_PROVINCES, analyse=False)

    for tile in elsewhere:
        assert served(client, *tile) == (cached[tile][0], False), f"{tile} made again"
    for tile in (*changed, *removed):
        _etag, made = served(client, *tile)
        assert made, f"{tile} served from the cache after the import"
    # The new version's zones have new ids: the tiles under them differ.
    assert served(client, *changed[-1])[0] != cached[changed[-1]][0]

    # The warm job then makes only the stale tiles: the other territory's stay as cached.
    territory_id = first.document.territory_id
    report = tiles_warm_run(territory_id=territory_id, reason=REASON_PLAN)
    work, _left_out = warm_work(warm_plan(territory_id=territory_id, reason=REASON_PLAN))
    warmed_already = {(z, x, y) for _t, z, x, y in work} & set(changed)
    assert report["tiles"] == len(work) and report["made"] + report["empty"] + report[
        "fresh"
    ] == len(work)
    assert report["fresh"] == len(warmed_already)  # asked just above, fresh already
    assert not report["stopped"]


def test_a_large_change_costs_a_bounded_number_of_keys(caching):
    """An EPCI-sized box (40 × 30 km) at z8–z18: its tiles below AREA_ZOOM one by one,
    from there its AREA_ZOOM squares, not the 69,000 tiles; a small change stays exact."""
    x0, y0 = -190_000.0, 6_120_000.0
    big = (x0, y0, x0 + 40_000, y0 + 30_000)
    written = tile_cache.tiles_invalidate("cost", big, zooms=range(8, 19))
    below = sum(len(tile_cache.tiles_covering(big, z)) for z in range(8, tile_cache.AREA_ZOOM))
    squares = len(tile_cache.tiles_covering(big, tile_cache.AREA_ZOOM))
    assert written == below + squares < 400
    # A tile at z18 under the box is stale, one beyond the square around it is not.
    inside = tile_of(x0 + 20_000, y0 + 15_000, 18)
    square_side = 2 ** (18 - tile_cache.AREA_ZOOM)
    outside = (inside[0], (math.floor(tile_of(x0, y0, 18)[1] / square_side) + 2) * square_side)
    for x, y in (inside, outside):
        slot, _tile = tile_cache.tile_lookup("cost", 18, x, y)
        tile_cache.tile_put(slot, b"tile")
    tile_cache.tiles_invalidate("cost", big, zooms=range(8, 19))
    assert tile_cache.tile_lookup("cost", 18, *inside)[1] is None
    assert tile_cache.tile_lookup("cost", 18, *outside)[1] is not None

    # A point: one tile per zoom, its own epochs, nothing around it at AREA_ZOOM on.
    point = (x0 + 1, y0 + 1, x0 + 2, y0 + 2)
    assert tile_cache.tiles_invalidate("cost", point, zooms=range(14, 17)) <= 3 * 4


def through(server: Server, z: int, x: int, y: int) -> str:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        conn.request("GET", f"/tiles/zoning/{z}/{x}/{y}.mvt", headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    assert response.status in (200, 204), response.status
    if body:
        gzip.decompress(body)
    return response.getheader("ETag")


def test_two_web_servers_serve_the_changed_territory_fresh_and_keep_the_other(
    django_db_setup, caching
):
    other = other_territory_plan()
    TerritoryFactory(siren="241800432")
    first, _report = plui_import(path=TROIS_PROVINCES, analyse=False)
    changed = tiles_over(first.zones.first().geom, zooms=(10, 14, 18))
    elsewhere = tiles_over(other.geom, zooms=(10, 14, 18))
    with web_server({}, args=("--workers", "1")) as a, web_server({}, args=("--workers", "1")) as b:
        held = {}
        for server in (a, b):
            for tile in (*changed, *elsewhere):
                held[server, tile] = through(server, *tile)
                assert through(server, *tile) == held[server, tile]  # now from memory
        slots = {tile: tile_cache.tile_lookup("zoning", *tile) for tile in elsewhere}

        plui_import(path=TROIS_PROVINCES, analyse=False)

        for server in (a, b):
            for tile in changed:
                assert through(server, *tile) != held[server, tile], (server.port, tile)
            for tile in elsewhere:
                assert through(server, *tile) == held[server, tile]
        # The other territory's tiles are the very ones cached before, still fresh.
        assert {tile: tile_cache.tile_lookup("zoning", *tile) for tile in elsewhere} == slots


def test_a_concertation_saved_makes_stale_the_site_wide_ideas_under_its_own_only(caching):
    """Opening (any save of) a concertation changes the site-wide ideas' tileset where
    its ideas are, not on every territory: its version does not move."""
    space = small_world()
    idea = make_idea(space, UserFactory())
    Concertation.objects.filter(pk=space.pk).update(status=Concertation.Status.DRAFT)
    site = "contributions-portail"
    point = idea.geom_3857.centroid
    under = (14, *tile_of(point.x, point.y, 14))
    far = (14, under[1] + 200, under[2])
    for tile in (under, far):
        tile_cache.tile_put(tile_cache.tile_lookup(site, *tile)[0], b"tile")
    version = tile_cache.tileset_version(site)

    space.status = Concertation.Status.OPEN
    concertation_save(concertation=space)

    assert tile_cache.tileset_version(site) == version
    assert tile_cache.tile_lookup(site, *under)[1] is None
    assert tile_cache.tile_lookup(site, *far)[1] is not None
