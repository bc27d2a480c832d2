# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a test leaves behind in the tile cache is never served to the next one: a tile
request still being answered when a test ends (tests.conftest.tile_state_reset) stores
its tile and its layers after the reset, under the version it read."""

import pytest

from carto_concertation.contributions.tiles import contribution_tileset
from layers.selectors import tileset_layers, tileset_layers_kept
from tests.conftest import tile_state_reset
from tiles import cache as tile_cache

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_tile_answered_after_a_test_ended_is_not_served_to_the_next(concertation):
    tileset = contribution_tileset(concertation.slug)
    tile_cache.tileset_touch(tileset)  # the test's data, announced (load_demo does it)
    # The test's page asks for a tile; its request reads the tile's slot and the version.
    slot, _cached = tile_cache.tile_lookup(tileset, 14, 8323, 5774)
    version = tile_cache.tileset_version(tileset)

    tile_state_reset()  # the test ends
    # ...and its request, answered only now, stores what it read and made.
    tileset_layers(tileset, version)
    tile_cache.tile_put(slot, b"the previous test's tile")

    # The next test makes the same tileset again, its data announced as many times.
    for _ in range(version):
        tile_cache.tileset_touch(tileset)
    assert tile_cache.tile_lookup(tileset, 14, 8323, 5774)[1] is None
    assert tileset_layers_kept(tileset, tile_cache.tileset_version(tileset)) is None


def test_every_tileset_changed_makes_every_cached_tile_stale(
    concertation, django_capture_on_commit_callbacks
):
    """A platform imported (site.archive) announces every tileset changed: a tile cached
    before, of a tileset whose version never moved as of one that did, is not served."""
    from django.db import transaction

    from carto_concertation.core.changes import every_tileset_changed_announce

    moved, never = contribution_tileset(concertation.slug), "budget-une-edition"
    tile_cache.tileset_touch(moved)
    for tileset in (moved, never):
        slot, _cached = tile_cache.tile_lookup(tileset, 14, 8323, 5774)
        tile_cache.tile_put(slot, b"a tile of the data before the import")
        assert tile_cache.tile_lookup(tileset, 14, 8323, 5774)[1] is not None
    tile_cache.bounds_put(moved, [1.0, 2.0, 3.0, 4.0], tile_cache.tileset_version(moved))

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        every_tileset_changed_announce()

    for tileset in (moved, never):
        assert tile_cache.tile_lookup(tileset, 14, 8323, 5774)[1] is None, tileset
    assert tile_cache.bounds_cached(moved)[0] is None
