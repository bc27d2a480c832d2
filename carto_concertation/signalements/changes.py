# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every write that changes what the map shows of a report announces it (core.changes).

A report shows, as itself, on the tileset of each public space of its territory that
holds the module (``signalements-<slug>``) and on the site-wide one, under its own point at the tiles' zooms; the
tiles under it are made stale once the transaction commits, nothing else.

Forgetting is made impossible rather than silent: the reports are written by three sets
of services (filing, the workflow, Open311), so saving or deleting a report or a follower
announces its place (``report_saved``, ``follower_saved``, connected in apps.py). A report
does not move once filed. A write that goes around the models' save (a queryset's
``update()``) announces itself, with ``reports_map_changed`` or inside
``report_changing``, which reads the place before and after the write."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.contrib.gis.geos import Point

from carto_concertation.core.changes import Area, Footprint, footprint_changed_announce
from carto_concertation.core.modules import SITE_WIDE, space_public, space_slugs_in_territory

from .datasets import MODULE
from .models import Report
from .tiles import MAXZOOM, MINZOOM, report_tileset

ZOOMS = range(MINZOOM, MAXZOOM + 1)


def _footprint(points: Iterable[Point]) -> Footprint:
    boxes = []
    for point in points:
        mercator = point.transform(3857, clone=True)
        boxes.append((mercator.x, mercator.y, mercator.x, mercator.y))
    return (Area(bboxes=tuple(boxes), zooms=ZOOMS),) if boxes else ()


def reports_map_changed(
    *, territory_id: int, before: Iterable[Point] = (), after: Iterable[Point] = ()
) -> None:
    """The tiles of the territory's spaces under these places change with the current
    transaction (``before``: as stored before the write, none for a new report)."""
    before_footprint, after_footprint = _footprint(before), _footprint(after)
    for tileset in _tilesets_showing(territory_id):
        footprint_changed_announce(tileset, before=before_footprint, after=after_footprint)


def _tilesets_showing(territory_id: int) -> list[str]:
    """The site-wide tileset, and those of the territory's public spaces holding the
    module."""
    tilesets = [report_tileset(SITE_WIDE)]
    for slug in space_slugs_in_territory(territory_id):
        space = space_public(slug)
        if space is not None and MODULE in space.modules:
            tilesets.append(report_tileset(slug))
    return tilesets


@contextmanager
def report_changing(report: Report) -> Iterator[Report]:
    """Around a write on one report: its place before, then after, announced."""
    before = Report.objects.filter(pk=report.pk).values_list("geom", flat=True).first()
    yield report
    after = Report.objects.filter(pk=report.pk).values_list("geom", flat=True).first()
    reports_map_changed(
        territory_id=report.territory_id,
        before=[before] if before else (),
        after=[after] if after else (),
    )


def report_saved(sender, instance: Report, **kwargs) -> None:
    """post_save and post_delete of a report."""
    reports_map_changed(territory_id=instance.territory_id, after=[instance.geom])


def follower_saved(sender, instance, **kwargs) -> None:
    """post_save and post_delete of a follower: the count the tiles show changes."""
    report = Report.objects.filter(pk=instance.report_id).only("territory", "geom").first()
    if report is not None:
        reports_map_changed(territory_id=report.territory_id, after=[report.geom])
