# SPDX-License-Identifier: AGPL-3.0-or-later
"""A tile request that overlaps the commit of a new idea never leaves a stale tile in the
cache: its steps (read the cache slot, make the tile, store it) are run here one by one,
with the idea committed — and its invalidation applied — in between."""

import pytest
from django.contrib.gis.geos import Point

from tests.worlds import lonlat_in
from tiles import cache as tile_cache
from tiles.mvt import tile_bytes
from tiles.serving import tileset_layers_current

from .test_contribution_tiles import decode, pin, tile_at
from .test_vector_tiles import tile_of

pytestmark = pytest.mark.django_db(transaction=True)
ZOOM = 14


def ids(response) -> set[int]:
    return {
        feature["id"] for feature in decode(response).get("contributions", {}).get("features", [])
    }


def tile_xy(lonlat: tuple[float, float]) -> tuple[int, int]:
    point = Point(*lonlat, srid=4326).transform(3857, clone=True)
    return tile_of(point.x, point.y, ZOOM)


@pytest.mark.parametrize("made", ["before the commit", "after the commit"])
def test_a_tile_stored_after_an_idea_commits_is_made_again(client, concertation, resident, made):
    here = lonlat_in("UE")
    x, y = tile_xy(here)
    tileset = f"contributions-{concertation.slug}"
    # A request for the tile under the idea reads its cache slot: nothing cached yet.
    slot, cached = tile_cache.tile_lookup(tileset, ZOOM, x, y)
    assert cached is None
    before = tile_bytes(tileset_layers_current(tileset), ZOOM, x, y)

    idea = pin(client, concertation, here)  # committed, its tiles made stale on commit

    # The slow request stores the tile it made, without the idea or with it.
    after = tile_bytes(tileset_layers_current(tileset), ZOOM, x, y)
    tile_cache.tile_put(slot, before if made == "before the commit" else after)

    assert ids(tile_at(client, concertation, here, ZOOM)) == {idea.pk}
