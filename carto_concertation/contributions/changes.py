# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every write on a contribution announces what it changed on the map (core.changes).

A contribution shows on its concertation's tileset in two ways: itself, under its own
box from ``AGGREGATE_BELOW`` on, and in the counts of its commune and PLUi zones below
(contributions.tiles). Its footprint is those boxes at those zooms, read from what is
stored; a write announces the footprint before and after, and the tiles under both are
made stale once the transaction commits, nothing else. The site-wide tileset draws it as
itself at every zoom: its own boxes are announced there at every zoom.

Forgetting is made impossible rather than silent by joining the announcement to the
row lock: a write that changes a contribution checks, then changes its locked row, and
``contribution_changing`` (``contributions_changing`` for several) is how it gets that
row. It reads the footprint when it locks, lets the write run, reads it again when the
write is done and announces both; a write that raises announces nothing (and rolls back).
Reading the footprint both times here, rather than in each write, also covers whatever a
write changes on the way (commune, zones, themes, status, votes) without its author
having to know which of these the tiles show. A new contribution has no lock to take:
the one place that creates them (services._contribution_write) announces it with
``contribution_added_announce``.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

from carto_concertation.core.changes import Area, Footprint, footprint_changed_announce
from carto_concertation.core.modules import SITE_WIDE

from .follow import followers_notify
from .models import Contribution
from .selectors import contributions_for_update
from .tiles import AGGREGATE_BELOW, MAXZOOM, contribution_tileset

POINT_ZOOMS = range(AGGREGATE_BELOW, MAXZOOM + 1)
COUNT_ZOOMS = range(0, AGGREGATE_BELOW)
SITE_ZOOMS = range(0, MAXZOOM + 1)


@dataclass(frozen=True)
class Boxes:
    """Where a contribution shows, as stored now: its own box, and (when counted) the
    boxes of its commune and zones, whose counts it is part of."""

    own: tuple[tuple[float, float, float, float], ...]
    counted: tuple[tuple[float, float, float, float], ...] | None

    def space_footprint(self) -> Footprint:
        """On its concertation's tileset: itself at the point zooms, in the counts below."""
        own = Area(bboxes=self.own, zooms=POINT_ZOOMS)
        if self.counted is None:
            return (own,)
        return (own, Area(bboxes=self.counted, zooms=COUNT_ZOOMS))

    def site_footprint(self) -> Footprint:
        """On the site-wide tileset, which draws it as itself at every zoom."""
        return (Area(bboxes=self.own, zooms=SITE_ZOOMS),)


NOWHERE = Boxes(own=(), counted=())


def contribution_boxes(contribution_id: int, *, counted: bool = True) -> Boxes:
    """Its own box and (``counted``) those of its commune and zones, as stored now."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'own', ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
              FROM (SELECT geom_3857::box2d AS b FROM contributions_contribution WHERE id = %(id)s) s
            UNION ALL
            SELECT 'area', ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (
              SELECT c.geom_3857::box2d AS b FROM territories_commune c
                JOIN contributions_contribution k ON k.commune_id = c.id WHERE k.id = %(id)s
              UNION ALL
              SELECT z.geom_3857::box2d FROM plui_documents_zone z
                JOIN contributions_contributionzone l ON l.zone_id = z.id
               WHERE l.contribution_id = %(id)s) a
            """,
            {"id": contribution_id},
        )
        rows = cursor.fetchall()
    own = tuple(tuple(row[1:]) for row in rows if row[0] == "own")
    areas = tuple(tuple(row[1:]) for row in rows if row[0] == "area")
    return Boxes(own=own, counted=areas if counted else None)


@contextmanager
def contributions_changing(*ids: int, counted: bool = True) -> Iterator[dict[int, Contribution]]:
    """The contributions with these ids, locked (always in the same order, so that two
    writes on the same ones cannot deadlock), for a write that changes them; their
    change is announced when the write is done. ``counted=False`` for a change the
    counts per commune and zone do not show (a vote): their tiles stay cached."""
    rows = contributions_for_update(pks=ids)
    before = {pk: contribution_boxes(pk, counted=counted) for pk in rows}
    # What its followers hear of (follow.py): the status and answer as they were.
    said = {pk: (row.status, row.answer) for pk, row in rows.items()}
    yield rows
    for pk, row in rows.items():
        followers_notify(contribution=row, status_before=said[pk][0], answer_before=said[pk][1])
        _announce(row, before=before[pk], after=contribution_boxes(pk, counted=counted))


@contextmanager
def contribution_changing(contribution_id: int, *, counted: bool = True) -> Iterator[Contribution]:
    """One contribution, locked for a write that changes it (contributions_changing)."""
    with contributions_changing(contribution_id, counted=counted) as rows:
        yield rows[contribution_id]


def contribution_added_announce(contribution: Contribution) -> None:
    """A new contribution shows where it is stored (call it once it is located)."""
    _announce(contribution, before=NOWHERE, after=contribution_boxes(contribution.pk))


def _announce(contribution: Contribution, *, before: Boxes, after: Boxes) -> None:
    """On its concertation's tileset, and on the site-wide one (tiles.site_layers)."""
    footprint_changed_announce(
        contribution_tileset(contribution.concertation.slug),
        before=before.space_footprint(),
        after=after.space_footprint(),
    )
    footprint_changed_announce(
        contribution_tileset(SITE_WIDE),
        before=before.site_footprint(),
        after=after.site_footprint(),
    )
