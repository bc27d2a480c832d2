# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tile cache hears the changes the writes announce (carto_concertation.core.changes).

Connected in TilesConfig.ready(): a whole tileset changed moves its data version; a
footprint makes stale the tiles under its boxes before and after, one epoch per range of
zooms (all the boxes drawn at the same zooms at once). Both return only once the web
processes' tile memories have been sent the invalidations (tiles.cache's PING), so the
request that follows the write sees it, in every process. A feature written outside the
tileset's cached extent makes the TileJSON's bounds stale.
"""

from carto_concertation.core.changes import EVERY_TILESET, Bbox, TilesetChange

from .cache import bounds_forget_unless_within, tiles_forget_all, tiles_invalidate, tileset_touch


def tileset_change_apply(sender, change: TilesetChange, **kwargs) -> None:
    if change.tileset == EVERY_TILESET:
        tiles_forget_all()
        return
    if change.whole:
        tileset_touch(change.tileset)
        return
    by_zooms: dict[range, list[Bbox]] = {}
    for area in (*change.before, *change.after):
        by_zooms.setdefault(area.zooms, []).extend(area.bboxes)
    for zooms, bboxes in by_zooms.items():
        if bboxes:
            tiles_invalidate(change.tileset, *bboxes, zooms=zooms)
    bounds_forget_unless_within(
        change.tileset, *(bbox for area in change.after for bbox in area.bboxes)
    )
