# SPDX-License-Identifier: AGPL-3.0-or-later
"""Checks on a contribution's geometry before it is stored: never "fixed" silently."""

import math

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation

from .models import GeometryKind
from .selectors import ideas_settings_of

MAX_VERTICES = 5000
MAX_AREA_M2 = 100_000_000  # 100 km²: an idea about a place, not a whole EPCI
MAX_LENGTH_M = 100_000

KINDS = {"Point": GeometryKind.POINT, "LineString": GeometryKind.LINE, "Polygon": GeometryKind.AREA}


def contribution_geometry_check(
    *, concertation: Concertation, geometry: GEOSGeometry
) -> GEOSGeometry:
    """The geometry (WGS84) in the storage SRID, or a ValidationError on ``geometry``."""

    def refuse(message: str) -> ValidationError:
        return ValidationError({"geometry": message})

    if geometry.empty:
        raise refuse(_("The geometry is empty: give at least one place."))
    kind = KINDS.get(geometry.geom_type)
    if kind is None:
        raise refuse(
            _("A contribution is a Point, a LineString or a Polygon, not a %(type)s.")
            % {"type": geometry.geom_type}
        )
    if kind not in ideas_settings_of(concertation).accepted_geometries:
        raise refuse(
            _("This concertation does not take contributions of this kind (%(kind)s).")
            % {"kind": kind.label}
        )
    if geometry.hasz:
        raise refuse(_("Give a longitude and a latitude per point, without a height (Z)."))
    if geometry.num_coords > MAX_VERTICES:
        raise refuse(
            _("Too many vertices (%(count)s, at most %(max)s).")
            % {"count": geometry.num_coords, "max": MAX_VERTICES}
        )
    for x, y in _coordinates(geometry):
        if not (math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90):
            raise refuse(
                _("Coordinates out of range: longitude %(x)s, latitude %(y)s.") % {"x": x, "y": y}
            )
    if not geometry.valid:
        raise refuse(_("Invalid geometry: %(reason)s.") % {"reason": geometry.valid_reason})
    stored = geometry.transform(settings.SRID, clone=True)
    if not concertation.perimeter.covers(stored):
        raise refuse(_("The place is outside the perimeter of the concertation."))
    if kind == GeometryKind.AREA and stored.area > MAX_AREA_M2:
        raise refuse(
            _("The area is too large (at most %(max)s km²).") % {"max": MAX_AREA_M2 // 1_000_000}
        )
    if kind == GeometryKind.LINE and stored.length > MAX_LENGTH_M:
        raise refuse(
            _("The line is too long (at most %(max)s km).") % {"max": MAX_LENGTH_M // 1000}
        )
    return stored


def _coordinates(geometry: GEOSGeometry):
    if geometry.geom_type == "Point":
        yield geometry.coords
    elif geometry.geom_type == "LineString":
        yield from geometry.coords
    else:
        for ring in geometry.coords:
            yield from ring
