# SPDX-License-Identifier: AGPL-3.0-or-later
"""Warming the tile cache after a change, so that no resident opens a cold map.

When a plan version becomes current (plui_documents.signals.version_made_current) or a
concertation opens (concertations.services), a job (core.jobs, kind ``tile_warm``) renders
the tiles a resident's map asks for at zooms TILE_WARM_MIN_ZOOM–TILE_WARM_MAX_ZOOM over the
area concerned, through the very path a request takes (serving.tile_warm): the cached
bytes, gzip and ETag are those a request would have made.

- A plan: the zoning tileset over the zones of the territory's current plans.
- A concertation: the tilesets its map page asks for (communes, the zoning when it has a
  plan, its modules' tilesets) over its perimeter.

The tiles are those of the area's bounding box whose envelope (with the tile buffer)
meets the area itself (for a plan: one of its zones), listed by one statement per zoom:
a tile of the box outside it costs nothing. A tile within it without any feature is made too (one index probe)
and cached empty, as a request would have it: the resident's 204 comes from the cache.
Beyond TILE_WARM_MAX_TILES, the highest zooms' last tiles are left to the first request
(lowest zooms first: each of them is seen by everyone who opens the map); the report
says how many.

A plan made current makes stale only its territory's tiles (the footprint of the old and
new versions, plui_documents.services): every other territory's stay cached, and the job
finds them fresh (one MGET each) and makes only the stale ones.

One job per (territory, reason, space): none is queued while one waits, nor while one
runs on the same tileset versions and plan versions. A job stops as soon as what it warms
changes — a tileset's version moves (its layers' definitions), or its territory's current
plans change (another import there; looked at once a second) — and queues the next one,
which warms the new state. Queuing never raises: a warm that cannot start leaves
the import or the opening as they are, and the tiles are made on request.
"""

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, transaction
from django.utils.translation import gettext as _

from carto_concertation.core.jobs import job_create
from carto_concertation.core.models import Job
from carto_concertation.core.modules import space_get
from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument, Zone
from plui_documents.signals import ZONING_TILESET

from .cache import tiles_covering, tilesets_versions
from .serving import tile_warm
from .switch import space_tileset_declarations

logger = logging.getLogger(__name__)

WARM_KIND = "tile_warm"
REASON_PLAN = "plan"
REASON_OPENING = "opening"
COMMUNES_TILESET = "communes"
# Seconds between two reads of a plan job's territory's current plans (another import
# there stops the job): a query per tile would cost ~5 % of the job for a rare event.
PLANS_READ_EVERY = 1.0


@dataclass(frozen=True)
class WarmPlan:
    """What a warm job renders: these tilesets, over the tiles that meet an area (a space's
    perimeter, Web Mercator) or a zone of these plan versions."""

    title: str
    tilesets: tuple[str, ...]
    area: GEOSGeometry | None = None
    zoning_versions: tuple[int, ...] = ()


def warm_plan(*, territory_id: int, reason: str, space_id: int | None = None) -> WarmPlan | None:
    """The tilesets and the area of a warm job; None when there is nothing to warm (no
    such territory or space, no current plan)."""
    if reason == REASON_OPENING:
        space = space_get(space_id) if space_id is not None else None
        if space is None or space.perimeter is None or space.perimeter.empty:
            return None
        tilesets = (
            COMMUNES_TILESET,
            *((ZONING_TILESET,) if space.zoning else ()),
            *(d.tileset(space.slug) for d in space_tileset_declarations(space)),
        )
        title = _("Map tiles of the concertation “%(space)s” (opened)") % {"space": space.title}
        return WarmPlan(title, tilesets, area=space.perimeter.transform(3857, clone=True))
    territory = Territory.objects.filter(pk=territory_id).only("name").first()
    versions = _current_plans(territory_id)
    if territory is None or not versions:
        return None
    # The zones, not the version's perimeter: that is computed after the version became
    # current (plui_documents.services.plui_zoning_analyse), maybe after the job starts.
    title = _("Map tiles of %(territory)s (plan made current)") % {"territory": territory.name}
    return WarmPlan(title, (ZONING_TILESET,), zoning_versions=versions)


def _current_plans(territory_id: int) -> tuple[int, ...]:
    """The current versions of the territory's plans."""
    return tuple(
        UrbanDocument.objects.filter(territory_id=territory_id, current_version__isnull=False)
        .order_by("pk")
        .values_list("current_version_id", flat=True)
    )


def warm_zooms() -> range:
    return range(settings.TILE_WARM_MIN_ZOOM, settings.TILE_WARM_MAX_ZOOM + 1)


def _plan_extent(plan: WarmPlan) -> tuple[float, float, float, float] | None:
    if plan.area is not None:
        return plan.area.extent
    zones = Zone.objects.filter(version_id__in=plan.zoning_versions)
    return zones.aggregate(extent=Extent("geom_3857"))["extent"]


# The tiles of a bounding box (xs, ys) at zoom z whose envelope meets an area, or a zone
# of the plan versions.
_TILES_MEETING_AREA = (
    "SELECT t.x, t.y FROM unnest(%(xs)s::int[], %(ys)s::int[]) AS t(x, y)"
    " WHERE ST_Intersects("
    "   ST_TileEnvelope(%(z)s, t.x, t.y, margin => %(margin)s), ST_GeomFromEWKB(%(area)s))"
    " ORDER BY t.y, t.x"
)
_TILES_MEETING_ZONES = (
    "SELECT t.x, t.y FROM unnest(%(xs)s::int[], %(ys)s::int[]) AS t(x, y)"
    " WHERE EXISTS (SELECT 1 FROM plui_documents_zone AS zone"
    "   WHERE zone.version_id = ANY(%(versions)s)"
    "   AND zone.geom_3857 && ST_TileEnvelope(%(z)s, t.x, t.y, margin => %(margin)s))"
    " ORDER BY t.y, t.x"
)


def warm_tiles(plan: WarmPlan, zoom: int, extent: tuple | None = None) -> list[tuple[int, int]]:
    """The (x, y) of the tiles at this zoom whose envelope, widened by the tile buffer as
    the tile's own statement widens it, meets the area or a zone of the plan: those of its
    bounding box (``extent``: read when not given), kept by one statement (an index probe
    per tile, no tile made)."""
    extent = extent or _plan_extent(plan)
    candidates = tiles_covering(extent, zoom) if extent is not None else []
    if not candidates:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _TILES_MEETING_AREA if plan.area is not None else _TILES_MEETING_ZONES,
            {
                "xs": [x for x, _y in candidates],
                "ys": [y for _x, y in candidates],
                "z": zoom,
                "margin": settings.TILE_BUFFER / settings.TILE_EXTENT,
                "area": bytes(plan.area.ewkb) if plan.area is not None else None,
                "versions": list(plan.zoning_versions),
            },
        )
        return [(x, y) for x, y in cursor.fetchall()]


def warm_work(plan: WarmPlan) -> tuple[list[tuple[str, int, int, int]], int]:
    """The tiles to make, lowest zooms first, at most TILE_WARM_MAX_TILES; and how many
    were left out beyond that cap."""
    extent = _plan_extent(plan)
    if extent is None:
        return [], 0
    work = [
        (tileset, z, x, y)
        for z in warm_zooms()
        for x, y in warm_tiles(plan, z, extent)
        for tileset in plan.tilesets
    ]
    cap = settings.TILE_WARM_MAX_TILES
    return work[:cap], max(0, len(work) - cap)


def tiles_warm_queue(
    *, territory_id: int, reason: str, space_id: int | None = None, user=None
) -> Job | None:
    """Queue a warm job unless one for the same territory, reason and space waits, or
    runs on the current versions. Never raises (the change it follows stands whatever
    happens here): a failure is logged and the tiles are made on request."""
    if not (settings.TILE_WARM_ENABLED and settings.TILE_CACHE_ENABLED):
        return None
    try:
        return _queue(territory_id=territory_id, reason=reason, space_id=space_id, user=user)
    except Exception:
        logger.exception("Tile warming not queued for territory %s (%s)", territory_id, reason)
        return None


def plan_current_warm(sender, version, **kwargs) -> None:
    """A plan version became current (committed): warm its territory's zoning."""
    territory_id = version.document.territory_id
    if territory_id is not None:
        tiles_warm_queue(territory_id=territory_id, reason=REASON_PLAN, user=version.imported_by)


def _queue(*, territory_id: int, reason: str, space_id: int | None, user) -> Job | None:
    # Here, not at the top: the task module imports this one.
    from .tasks import tiles_warm_task

    plan = warm_plan(territory_id=territory_id, reason=reason, space_id=space_id)
    if plan is None:
        return None
    versions = dict(zip(plan.tilesets, tilesets_versions(list(plan.tilesets)), strict=True))
    plans = list(plan.zoning_versions)
    key = {"territory_id": territory_id, "reason": reason, "space_id": space_id}
    with transaction.atomic():
        # Two changes committed together (two workers) must not both queue one.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                [f"{WARM_KIND}:{territory_id}:{reason}:{space_id}"],
            )
        unfinished = Job.objects.filter(
            kind=WARM_KIND,
            status__in=(Job.Status.PENDING, Job.Status.RUNNING),
            **{f"params__{name}": value for name, value in key.items()},
        )
        for job in unfinished:
            # A job that waits reads the versions when it starts: it will warm these.
            if job.status == Job.Status.PENDING or (
                job.params.get("versions") == versions and job.params.get("plans", []) == plans
            ):
                return None
        return job_create(
            kind=WARM_KIND,
            title=plan.title,
            params={**key, "versions": versions, "plans": plans},
            user=user,
            enqueue=lambda job_id: tiles_warm_task.delay(job_id),
        )


def tiles_warm_run(
    *,
    territory_id: int,
    reason: str,
    space_id: int | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> dict:
    """Render the tiles of the plan into the cache; the report counts them by outcome
    (made, empty, fresh already) and says whether a version moved (``stopped``)."""
    plan = warm_plan(territory_id=territory_id, reason=reason, space_id=space_id)
    started = time.monotonic()
    work, left_out = warm_work(plan) if plan is not None else ([], 0)
    tilesets = list(plan.tilesets) if plan is not None else []
    versions = tilesets_versions(tilesets) if tilesets else []
    counts: Counter = Counter()
    stopped = False
    plans_read_at = started
    for done, (tileset, z, x, y) in enumerate(work, start=1):
        # One MGET per tile (~0.1 ms against milliseconds for a tile): a job stops at the
        # first tile after a version moved, and the next one warms the new version.
        if tilesets_versions(tilesets) != versions:
            stopped = True
            break
        if plan.zoning_versions and time.monotonic() - plans_read_at >= PLANS_READ_EVERY:
            plans_read_at = time.monotonic()
            if _current_plans(territory_id) != plan.zoning_versions:
                stopped = True
                break
        counts[tile_warm(tileset, z, x, y)] += 1
        progress(done, len(work))
    seconds = time.monotonic() - started
    warmed = sum(counts.values())
    return {
        "tilesets": tilesets,
        "zooms": [warm_zooms().start, warm_zooms().stop - 1],
        "tiles": len(work),
        "made": counts["made"],
        "empty": counts["empty"],
        "fresh": counts["fresh"],
        "left_out": left_out,
        "stopped": stopped,
        "seconds": round(seconds, 3),
        "tiles_per_second": round(warmed / seconds, 1) if seconds > 0 else None,
    }
