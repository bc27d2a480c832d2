# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reading a collection's features: the page an OGC API request selects (bbox, datetime,
territory, limit and offset, in the CRS asked for), one feature, and the extent. Every
surface listing features (OGC API, the open files) reads them here, so a property not
declared public never leaves: ``properties`` answering another name is refused."""

import json
import math
from collections.abc import Iterator
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_void_p
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import Any

from django.contrib.gis.db.models import Extent as ExtentOf
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.gdal.libgdal import lgdal
from django.contrib.gis.geos import Polygon
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from carto_concertation.core.modules import NotAPublicField

from .collections import Collection

CRS84 = 4326  # PostGIS's 4326 is longitude first, as OGC's CRS84
# Decimals of the coordinates written: about a centimetre in degrees and in metres.
PRECISION = {CRS84: 7}
METRES_PRECISION = 2


@dataclass(frozen=True)
class FeatureQuery:
    """What a request selects. ``bbox`` in ``bbox_srid`` (CRS84 for 4326), ``moments``
    an interval whose open ends are None, ``territory`` a SIREN ("" for every one)."""

    bbox: tuple[float, float, float, float] | None = None
    bbox_srid: int = CRS84
    moments: tuple[datetime | None, datetime | None] | None = None
    territory: str = ""
    srid: int = CRS84
    limit: int = 10
    offset: int = 0


@dataclass(frozen=True)
class FeaturePage:
    features: list[dict[str, Any]]
    matched: int | None  # None: more than MATCHED_COUNT_MAX, not counted
    more: bool  # features follow this page


def _selected(collection: Collection, query: FeatureQuery) -> models.QuerySet:
    source = collection.source
    rows = source.rows()
    if query.territory:
        rows = rows.filter(**{f"{source.territory}__siren": query.territory})
    if query.bbox is not None:
        # Features without a geometry match any bbox (OGC API – Features, fc-bbox-response).
        selected = Q(**{f"{source.geometry}__isnull": True})
        bbox = _usable(query.bbox, query.bbox_srid, _srid_of(rows.model, source.geometry))
        if bbox is not None:
            box = _densified_box(bbox, query.bbox_srid)
            selected |= Q(**{f"{source.geometry}__intersects": box})
        rows = rows.filter(selected)
    if query.moments is not None and source.moment:
        rows = rows.filter(_moment_filter(rows.model, source.moment, *query.moments))
    return rows


# Vertices per side of a bbox sent to the storage CRS: a side along a parallel in CRS84
# is a curve in Lambert-93 (14 m off over a 24 km box with its corners only, measured).
BOX_SIDE_VERTICES = 32


def _densified_box(bbox: tuple[float, float, float, float], srid: int) -> Polygon:
    west, south, east, north = bbox
    steps = [i / BOX_SIDE_VERTICES for i in range(BOX_SIDE_VERTICES)]
    ring = (
        [(west + (east - west) * t, south) for t in steps]
        + [(east, south + (north - south) * t) for t in steps]
        + [(east - (east - west) * t, north) for t in steps]
        + [(west, north - (north - south) * t) for t in steps]
    )
    return Polygon([*ring, ring[0]], srid=srid)


def _srid_of(model, name: str) -> int | None:
    try:
        return model._meta.get_field(name).srid
    except (FieldDoesNotExist, AttributeError):
        return None


def _usable(
    bbox: tuple[float, float, float, float], bbox_srid: int, srid: int | None
) -> tuple[float, float, float, float] | None:
    """A CRS84 box cut to where the geometries' projected CRS is used: PostGIS cannot
    transform the whole world to Lambert-93 (the South Pole is outside its domain), and
    no feature lies outside it. None when the box misses that area altogether."""
    if bbox_srid != CRS84 or srid in (None, CRS84):
        return bbox
    area = _area_of_use(srid)
    west, south, east, north = bbox
    west, south = max(west, area[0]), max(south, area[1])
    east, north = min(east, area[2]), min(north, area[3])
    return (west, south, east, north) if west <= east and south <= north else None


@cache
def _area_of_use(srid: int) -> tuple[float, float, float, float]:
    """The CRS84 box where the EPSG says a CRS is used (GDAL's OSRGetAreaOfUse, from
    PROJ's database); the latitudes of ±85° when it is not known."""
    box = [c_double() for _side in range(4)]
    name = c_char_p()
    crs = SpatialReference(srid)  # held until the call returns: its C object goes with it
    known = _OSR_GET_AREA_OF_USE(crs.ptr, *map(byref, box), byref(name))
    west, south, east, north = (side.value for side in box)
    if known and west <= east:  # an area across the antimeridian: not cut
        return (west, south, east, north)
    return (-180.0, -85.0, 180.0, 85.0)


# Django's GDAL bindings have no area of use: the C function of the library they load
# (GDAL ≥ 3.0).
_OSR_GET_AREA_OF_USE = lgdal.OSRGetAreaOfUse
_OSR_GET_AREA_OF_USE.argtypes = [c_void_p, *[POINTER(c_double)] * 4, POINTER(c_char_p)]
_OSR_GET_AREA_OF_USE.restype = c_int


def _moment_filter(model, name: str, start: datetime | None, end: datetime | None) -> Q:
    """Rows whose moment lies in [start, end]; rows without one match (fc-time-response)."""
    is_date = not isinstance(model._meta.get_field(name), models.DateTimeField)

    def bound(moment: datetime) -> date | datetime:
        return timezone.localdate(moment) if is_date else moment

    within = Q()
    if start is not None:
        within &= Q(**{f"{name}__gte": bound(start)})
    if end is not None:
        within &= Q(**{f"{name}__lte": bound(end)})
    return within | Q(**{f"{name}__isnull": True})


def _precision(srid: int) -> int:
    return PRECISION.get(srid, METRES_PRECISION)


def _features(collection: Collection, rows: list, base_url: str) -> list[dict]:
    names = collection.dataset.field_names()
    declared = set(names)
    properties = collection.source.properties(rows, base_url)
    features = []
    for row, values in zip(rows, properties, strict=True):
        if unknown := set(values) - declared:
            raise NotAPublicField(f"{collection.id}: {', '.join(sorted(unknown))} not declared")
        features.append(
            {
                "type": "Feature",
                "id": row.pk,
                "geometry": json.loads(row.opendata_geometry) if row.opendata_geometry else None,
                # Every declared field, in the declared order, null where the source gives
                # none: one schema for every feature (GDAL reads a file's fields from it).
                "properties": {name: values.get(name) for name in names},
            }
        )
    return features


def _with_geometry(rows: models.QuerySet, collection: Collection, srid: int) -> models.QuerySet:
    geometry = collection.source.geometry
    return rows.annotate(
        opendata_geometry=AsGeoJSON(Transform(geometry, srid), precision=_precision(srid))
    )


# numberMatched is counted up to this many features and left out past it (OGC API –
# Features makes it optional): counting every current zone of a region reads millions
# of index entries, so an unbounded count grows with the whole database. The largest
# page (parameters.LIMIT_MAX) can still be announced, and the OGC test suite compares
# numberMatched with what it pages through only up to this many.
MATCHED_COUNT_MAX = 10_000


def features_page(collection: Collection, query: FeatureQuery, base_url: str) -> FeaturePage:
    """The features the query selects, ordered by id, whether more follow, and how many
    it matches in all (None past MATCHED_COUNT_MAX)."""
    rows = _selected(collection, query)
    # The page's ids first, from the ids alone (one row past the page says whether a
    # next page exists, without counting). A territory's are sorted from its own rows:
    # ordered by the primary key's index instead, PostgreSQL would walk every territory's
    # rows in id order until enough of this one's turned up (all of a region's zones
    # when its ids come last: 1.7 s at ×10). The expression keeps that index out.
    order = F("pk") + 0 if query.territory else F("pk")
    ids = rows.order_by(order).values("pk")[query.offset : query.offset + query.limit + 1]
    window = collection.source.rows().filter(pk__in=ids).order_by("pk")
    chosen = list(_with_geometry(window, collection, query.srid))
    more = len(chosen) > query.limit
    chosen = chosen[: query.limit]
    if not more and (chosen or not query.offset):
        matched = query.offset + len(chosen)  # the last page: known without a count
    else:
        matched = _count_up_to(rows, MATCHED_COUNT_MAX)
    return FeaturePage(_features(collection, chosen, base_url), matched, more)


def _count_up_to(rows: models.QuerySet, most: int) -> int | None:
    """How many rows there are, None when over ``most``: never reads more than most + 1."""
    found = rows.order_by().values("pk")[: most + 1].count()
    return found if found <= most else None


def features_all(
    collection: Collection, base_url: str, *, territory: str = "", srid: int = CRS84, batch=2000
) -> Iterator[dict[str, Any]]:
    """Every feature of the collection (of a territory), in batches: the open files."""
    rows = _selected(collection, FeatureQuery(territory=territory))
    last = None
    while True:
        window = rows.order_by("pk") if last is None else rows.filter(pk__gt=last).order_by("pk")
        chosen = list(_with_geometry(window, collection, srid)[:batch])
        if not chosen:
            return
        yield from _features(collection, chosen, base_url)
        last = chosen[-1].pk


def feature_one(collection: Collection, pk: Any, srid: int, base_url: str) -> dict | None:
    """One public feature by its id, None when there is none (or it is not public)."""
    try:
        rows = list(_with_geometry(collection.source.rows().filter(pk=pk), collection, srid))
    except (ValueError, TypeError):
        return None
    return _features(collection, rows, base_url)[0] if rows else None


@dataclass(frozen=True)
class Extent:
    bbox: tuple[float, float, float, float] | None  # CRS84
    interval: tuple[datetime | None, datetime | None] | None


def collection_extent(collection: Collection, *, territory: str = "") -> Extent:
    """The CRS84 box holding every feature (None without any) and the first and last
    moments (None for a timeless collection)."""
    source = collection.source
    rows = _selected(collection, FeatureQuery(territory=territory))
    srid = _srid_of(rows.model, source.geometry)
    if srid is None:  # a geometry the model does not declare: each one transformed
        box = rows.aggregate(box=ExtentOf(Transform(source.geometry, CRS84)))["box"]
    else:
        # The stored boxes only (no vertex read or transformed: a PLUi's zones are
        # megabytes), then the box, densified, to CRS84: a little wider, never narrower.
        stored = rows.aggregate(box=ExtentOf(source.geometry))["box"]
        box = (
            _densified_box(stored, srid).transform(_to_crs84(srid), clone=True).extent
            if stored
            else None
        )
    bbox = _rounded_outwards(box) if box else None
    interval = None
    if source.moment:
        found = rows.aggregate(first=Min(source.moment), last=Max(source.moment))
        interval = (_as_datetime(found["first"]), _as_datetime(found["last"]))
    return Extent(bbox=bbox, interval=interval)


@cache
def _to_crs84(srid: int) -> CoordTransform:
    # Made once per CRS: building it reads PROJ's database (a millisecond and more).
    return CoordTransform(SpatialReference(srid), SpatialReference(CRS84))


def _rounded_outwards(box: tuple[float, ...]) -> tuple[float, float, float, float]:
    """To 1e-6 degrees (about 0.1 m), never inwards: the box still holds every feature."""
    west, south, east, north = box
    scale = 10**6
    return (
        math.floor(west * scale) / scale,
        math.floor(south * scale) / scale,
        math.ceil(east * scale) / scale,
        math.ceil(north * scale) / scale,
    )


def _as_datetime(moment: date | datetime | None) -> datetime | None:
    if moment is None or isinstance(moment, datetime):
        return moment
    return timezone.make_aware(datetime.combine(moment, time.min))
