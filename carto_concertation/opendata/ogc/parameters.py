# SPDX-License-Identifier: AGPL-3.0-or-later
"""The query parameters of OGC API – Features, read and checked: each bad value is an
``OgcError`` naming the parameter and the reason (a 400), never a 500 further down."""

import math
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from ..features import CRS84, FeatureQuery

CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CRS84H_URI = "http://www.opengis.net/def/crs/OGC/0/CRS84h"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{}"
LAMBERT93 = 2154
LIMIT_DEFAULT = 10
LIMIT_MAX = 10_000
# PostgreSQL's OFFSET is a bigint; far below it, no page is ever that far.
OFFSET_MAX = 2_147_483_647
FORMATS = ("json", "html")
# The moments PostgreSQL and Python both hold whatever the time zone: a bound beyond
# them selects what the bound itself would (nothing is stored outside).
EARLIEST = datetime(2, 1, 1, tzinfo=UTC)
LATEST = datetime(9998, 12, 31, tzinfo=UTC)


class OgcError(ValueError):
    """A request OGC API refuses: the HTTP status, the parameter, the reason."""

    def __init__(self, parameter: str, reason: str, status: int = 400) -> None:
        super().__init__(f"{parameter}: {reason}")
        self.parameter = parameter
        self.reason = reason
        self.status = status


def crs_uri(srid: int) -> str:
    # PostGIS's 4326 is longitude first: OGC's CRS84, not EPSG:4326 (latitude first).
    return CRS84_URI if srid == CRS84 else EPSG_URI.format(srid)


def storage_srid() -> int:
    return settings.SRID


def supported_crs() -> dict[str, int]:
    """Each CRS offered, its URI → its SRID: CRS84 first (the default), Lambert-93, and
    the storage CRS when it is another."""
    srids = dict.fromkeys([CRS84, LAMBERT93, storage_srid()])
    return {crs_uri(srid): srid for srid in srids}


def unknown_check(query: QueryDict, allowed: Iterable[str]) -> None:
    """A parameter the API does not declare is refused (/req/core/query-param-unknown)."""
    allowed = set(allowed)
    if unknown := sorted(name for name in query if name not in allowed):
        raise OgcError(
            unknown[0],
            _("unknown parameter; this path takes: %(names)s")
            % {"names": ", ".join(sorted(allowed))},
        )


def _single(query: QueryDict, name: str) -> str | None:
    values = query.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise OgcError(name, _("given more than once"))
    return values[0]


def format_parse(query: QueryDict) -> str | None:
    value = _single(query, "f")
    if value is None:
        return None
    if value not in FORMATS:
        raise OgcError(
            "f", _("unknown format; one of: %(formats)s") % {"formats": ", ".join(FORMATS)}
        )
    return value


def crs_parse(query: QueryDict, name: str = "crs") -> int:
    value = _single(query, name)
    if value is None or value == "":
        return CRS84
    offered = supported_crs()
    if name == "bbox-crs":
        offered = {**offered, CRS84H_URI: CRS84}
    if value not in offered:
        raise OgcError(name, _("unsupported CRS; one of: %(uris)s") % {"uris": ", ".join(offered)})
    return offered[value]


_WHOLE = re.compile(r"\s*\+?[0-9]{1,30}\s*")


def _integer(query: QueryDict, name: str, default: int, low: int, high: int, message: str) -> int:
    value = _single(query, name)
    if value is None:
        return default
    if not _WHOLE.fullmatch(value):
        raise OgcError(name, _("not a whole number: %(value)r") % {"value": value[:40]})
    number = int(value)
    if number < low or number > high:
        raise OgcError(name, message % {"low": low, "high": high})
    return number


def bbox_parse(query: QueryDict, srid: int) -> tuple[float, float, float, float] | None:
    value = _single(query, "bbox")
    if value is None:
        return None
    parts = value.split(",")
    if len(parts) not in (4, 6):
        raise OgcError(
            "bbox",
            _("4 numbers (west,south,east,north) or 6 with heights; got %(n)d") % {"n": len(parts)},
        )
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise OgcError(
            "bbox", _("not a list of numbers: %(value)r") % {"value": value[:80]}
        ) from None
    if not all(math.isfinite(n) for n in numbers):
        raise OgcError("bbox", _("not a list of finite numbers"))
    if len(numbers) == 6:  # heights are ignored: every feature lies on the ground
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    west, south, east, north = numbers
    if west > east:
        raise OgcError("bbox", _("west is greater than east"))
    if south > north:
        raise OgcError("bbox", _("south is greater than north"))
    if srid == CRS84 and not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise OgcError("bbox", _("out of CRS84's range (longitude ±180, latitude ±90)"))
    return west, south, east, north


def _moment(text: str, end: bool) -> datetime:
    """An RFC 3339 date-time, or a date meaning its whole day (its first moment at the
    start of an interval, its last at the end); a time without an offset is local."""
    try:
        if "T" not in text.upper() and len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.max if end else time.min)
        else:
            moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise OgcError(
            "datetime",
            _("not an RFC 3339 date-time or date: %(value)r") % {"value": text[:40]},
        ) from None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        # Python's first or last day, in a time zone that takes it past the calendar.
        return EARLIEST if moment.year < 5000 else LATEST
    return min(max(moment, EARLIEST), LATEST)


def datetime_parse(query: QueryDict) -> tuple[datetime | None, datetime | None] | None:
    value = _single(query, "datetime")
    if value is None or value == "":
        return None
    if "/" not in value:
        return _moment(value, end=False), _moment(value, end=True)
    parts = value.split("/")
    if len(parts) != 2:
        raise OgcError("datetime", _("an interval has one slash: start/end"))
    start = None if parts[0] in ("", "..") else _moment(parts[0], end=False)
    end = None if parts[1] in ("", "..") else _moment(parts[1], end=True)
    if start is not None and end is not None and end < start:
        raise OgcError("datetime", _("the interval ends before it starts"))
    return start, end


def territory_parse(query: QueryDict) -> str:
    value = _single(query, "territoire")
    if value is None or value == "":
        return ""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        raise OgcError("territoire", _("a territory's SIREN is 9 digits"))
    return value


ITEMS_PARAMETERS = ("f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "territoire")
ITEM_PARAMETERS = ("f", "crs")


def items_query(query: QueryDict) -> FeatureQuery:
    """The selection of /items, every parameter checked."""
    unknown_check(query, ITEMS_PARAMETERS)
    format_parse(query)
    bbox_srid = crs_parse(query, "bbox-crs")
    limit = _integer(
        query,
        "limit",
        LIMIT_DEFAULT,
        1,
        LIMIT_MAX,
        _("must be from %(low)d to %(high)d (the maximum)"),
    )
    offset = _integer(query, "offset", 0, 0, OFFSET_MAX, _("must be from %(low)d to %(high)d"))
    return FeatureQuery(
        bbox=bbox_parse(query, bbox_srid),
        bbox_srid=bbox_srid,
        moments=datetime_parse(query),
        territory=territory_parse(query),
        srid=crs_parse(query),
        limit=limit,
        offset=offset,
    )


def item_srid(query: QueryDict) -> int:
    unknown_check(query, ITEM_PARAMETERS)
    format_parse(query)
    return crs_parse(query)


def plain_check(query: QueryDict) -> None:
    """The other paths take only ``f``."""
    unknown_check(query, ("f",))
    format_parse(query)
