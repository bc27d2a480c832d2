# SPDX-License-Identifier: AGPL-3.0-or-later
"""Changes are announced: after the commit, with the footprint before and after; never
for a write that rolls back; a failing listener never breaks the committed write."""

import logging

import pytest
from django.db import transaction

from carto_concertation.core.changes import (
    Area,
    TilesetChange,
    footprint_changed_announce,
    tileset_changed,
    tileset_changed_announce,
)

pytestmark = pytest.mark.django_db

# The tilesets below are ones no module listens to (the consultation redraws on "zoning").
BEFORE = (Area(bboxes=((0.0, 0.0, 10.0, 10.0),), zooms=range(13, 17)),)
AFTER = (Area(bboxes=((500.0, 500.0, 510.0, 510.0),), zooms=range(13, 17)),)


@pytest.fixture
def heard():
    changes = []

    def listener(sender, change, **kwargs):
        changes.append(change)

    tileset_changed.connect(listener, dispatch_uid="test-listener")
    yield changes
    tileset_changed.disconnect(dispatch_uid="test-listener")


def test_a_change_is_announced_after_the_commit_with_its_footprint_before_and_after(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            footprint_changed_announce("contributions-x", before=BEFORE, after=AFTER)
            tileset_changed_announce("communes")
        assert heard == []  # not before the commit
    assert heard == [
        TilesetChange(tileset="contributions-x", before=BEFORE, after=AFTER),
        TilesetChange(tileset="communes", whole=True),
    ]


def test_a_write_that_rolls_back_announces_nothing(heard, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        footprint_changed_announce("contributions-x", before=BEFORE, after=AFTER)
        raise RuntimeError
    assert callbacks == [] and heard == []


def test_a_failing_listener_is_logged_and_the_others_still_hear(
    heard, django_capture_on_commit_callbacks, caplog
):
    def failing(sender, change, **kwargs):
        raise ConnectionError("Redis is away")

    tileset_changed.connect(failing, dispatch_uid="test-failing")
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            tileset_changed_announce("communes")
    finally:
        tileset_changed.disconnect(dispatch_uid="test-failing")
    assert heard == [TilesetChange(tileset="communes", whole=True)]
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failed) == 1 and "Redis is away" in str(failed[0].exc_info[1])


def test_the_tile_cache_listens_and_makes_stale_exactly_the_footprint(
    django_capture_on_commit_callbacks,
):
    from tiles import cache

    near = cache.tiles_covering(BEFORE[0].bboxes[0], 14)[0]
    moved = cache.tiles_covering(AFTER[0].bboxes[0], 14)[0]
    far = (near[0] + 40, near[1] + 40)
    low = cache.tiles_covering(BEFORE[0].bboxes[0], 10)[0]
    slots = {
        name: cache.tile_lookup("contributions-x", z, *xy)[0]
        for name, (z, xy) in {
            "near": (14, near),
            "moved": (14, moved),
            "far": (14, far),
            "low": (10, low),
        }.items()
    }
    for slot in slots.values():
        cache.tile_put(slot, b"a tile")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        footprint_changed_announce("contributions-x", before=BEFORE, after=AFTER)

    def cached(z, xy):
        return cache.tile_lookup("contributions-x", z, *xy)[1] is not None

    assert not cached(14, near) and not cached(14, moved)  # before and after
    assert cached(14, far) and cached(10, low)  # elsewhere, and at zooms not drawn

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        tileset_changed_announce("contributions-x")
    assert not cached(14, far) and not cached(10, low)
