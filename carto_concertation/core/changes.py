# SPDX-License-Identifier: AGPL-3.0-or-later
"""Changes are announced: a write that changes what a map tile shows says so, on commit.

A write names the tileset it changed and, when it knows it, where: its footprint before
and after the change (Web Mercator boxes, each at the zooms where it is drawn). The tile
service listens (tiles.apps connects its receiver) and makes stale exactly those tiles,
or every tile of the tileset for a change without footprint (an import, new themes). The
writers name no cache: a module that shows data on the map announces its writes here,
and whatever serves or keeps tiles hears them.

The announcement waits for the commit (``transaction.on_commit``): a change that rolls
back announces nothing, and no request can cache the old state between the invalidation
and the commit. A failing receiver (Redis away) is logged and never breaks the write,
which is committed already (the tiles it left stale expire with TILE_CACHE_SECONDS).
"""

from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.dispatch import Signal

Bbox = tuple[float, float, float, float]  # Web Mercator (EPSG:3857): xmin, ymin, xmax, ymax


@dataclass(frozen=True)
class Area:
    """Where a change shows on a tileset: these boxes, at these zooms."""

    bboxes: tuple[Bbox, ...]
    zooms: range


Footprint = tuple[Area, ...]


@dataclass(frozen=True)
class TilesetChange:
    """What a committed write changed on one tileset: the tiles under its footprint
    before and after, or the whole tileset (``whole``)."""

    tileset: str
    before: Footprint = ()
    after: Footprint = ()
    whole: bool = False


# Sent after the commit with ``change`` (a TilesetChange); the sender is TilesetChange.
tileset_changed = Signal()


# The tileset name of a change to every tileset at once (``every_tileset_changed_announce``).
EVERY_TILESET = "*"


def every_tileset_changed_announce() -> None:
    """Every tile of every tileset changes with the current transaction: a whole platform
    imported, whose tilesets (per space, per edition, per territory…) no one lists."""
    _announce(TilesetChange(tileset=EVERY_TILESET, whole=True))


def tileset_changed_announce(tileset: str) -> None:
    """Every tile of this tileset changes with the current transaction (an import, a
    change of the layers' definitions: themes, public fields, status)."""
    _announce(TilesetChange(tileset=tileset, whole=True))


def footprint_changed_announce(tileset: str, *, before: Footprint, after: Footprint) -> None:
    """The tiles of this tileset under these footprints change with the current
    transaction: ``before`` as stored before the write (empty for a new feature),
    ``after`` as written. Nothing under no footprint changes: no announcement (a
    site-wide tileset that draws no space's features, say)."""
    if before or after:
        _announce(TilesetChange(tileset=tileset, before=before, after=after))


def _announce(change: TilesetChange) -> None:
    # send_robust: a receiver that raises is logged (django.dispatch) and the others
    # still hear; the write has committed already and stands.
    transaction.on_commit(partial(tileset_changed.send_robust, sender=TilesetChange, change=change))
