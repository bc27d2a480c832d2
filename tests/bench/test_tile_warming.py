# SPDX-License-Identifier: AGPL-3.0-or-later
"""How long warming an EPCI's zoning takes (tiles.warming), on the bench's 20,000 zones.

The job's own work, run here in one process as the worker runs it: the tiles z8–z13 of
the territory's zones listed (one statement per zoom), each made and cached by the
request's path. Against the floor: the same tiles' statements run in a loop, nothing
cached. Before the job, what an import of the plan makes stale: the footprint of its
version at z8–z18 (plui_documents.selectors.version_footprint), invalidated as the
import's announcement does, both timed. Then the same job again on a warm cache (every
tile fresh: what a job costs when a concertation opens over a plan already warmed).
Figures go to bench-results.json under ``tile_warming``.
"""

import time

import pytest

from layers.selectors import tileset_layers
from plui_documents.models import UrbanDocument
from plui_documents.selectors import version_footprint
from tests.bench.test_tiles import generate_data
from tests.factories import TerritoryFactory
from tiles.cache import tiles_invalidate
from tiles.mvt import tile_bytes
from tiles.warming import REASON_PLAN, tiles_warm_run, warm_plan, warm_work

pytestmark = pytest.mark.django_db(transaction=True)


def test_warming_an_epci(bench_results, settings):
    settings.TILE_CACHE_ENABLED = True
    generate_data()
    territory = TerritoryFactory()
    UrbanDocument.objects.filter(idurba="999999999_PLUI_BENCH").update(territory=territory)

    started = time.monotonic()
    work, left_out = warm_work(warm_plan(territory_id=territory.pk, reason=REASON_PLAN))
    listing = time.monotonic() - started

    zoning = tileset_layers("zoning")
    started = time.monotonic()
    for _tileset, z, x, y in work:
        tile_bytes(zoning, z, x, y)
    floor = time.monotonic() - started

    # What the plan's import now makes stale: the footprint of its version, replaced by
    # one of the same extent (plui_documents.services), z8–z18 (the zoning's zooms).
    version_id = UrbanDocument.objects.get(idurba="999999999_PLUI_BENCH").current_version_id
    started = time.monotonic()
    (area,) = version_footprint(version_id)
    footprint_seconds = time.monotonic() - started
    started = time.monotonic()
    keys = tiles_invalidate("zoning", *area.bboxes, zooms=area.zooms)
    invalidate_seconds = time.monotonic() - started
    cold = tiles_warm_run(territory_id=territory.pk, reason=REASON_PLAN)
    again = tiles_warm_run(territory_id=territory.pk, reason=REASON_PLAN)

    per_zoom = {z: sum(1 for _t, zz, _x, _y in work if zz == z) for z in range(8, 14)}
    figures = {
        "zones": 20000,
        "tiles": cold["tiles"],
        "tiles_per_zoom": per_zoom,
        "left_out": left_out,
        "listing_seconds": round(listing, 3),
        "seconds": cold["seconds"],
        "tiles_per_second": cold["tiles_per_second"],
        "floor_seconds": round(floor, 3),
        "floor_tiles_per_second": round(len(work) / floor, 1),
        "ratio_to_floor": round(cold["seconds"] / floor, 2),
        "already_warm_seconds": again["seconds"],
        "footprint_boxes": len(area.bboxes),
        "footprint_zooms": [area.zooms.start, area.zooms.stop - 1],
        "footprint_seconds": round(footprint_seconds, 3),
        "invalidated_keys": keys,
        "invalidate_seconds": round(invalidate_seconds, 3),
    }
    print("\ntile warming of an EPCI (20,000 zones, z8–z13):", figures)
    bench_results["tile_warming"] = figures
    assert not cold["stopped"] and cold["made"] + cold["empty"] == len(work) > 0
    assert again["fresh"] == len(work)
