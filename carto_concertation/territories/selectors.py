# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads on territories and communes; geometries leave in WGS84 (RFC 7946)."""

from django.contrib.gis.db.models.functions import Transform
from django.db.models import QuerySet

from .models import Commune, Territory

WGS84 = 4326


def territory_list() -> QuerySet[Territory]:
    return Territory.objects.annotate(geom_wgs84=Transform("geom", WGS84)).order_by("name")


def commune_list() -> QuerySet[Commune]:
    return (
        Commune.objects.select_related("territory")
        .annotate(geom_wgs84=Transform("geom", WGS84))
        .order_by("name")
    )


def commune_for_geometry(*, geom) -> Commune | None:
    """The commune a geometry lies in (for a line or an area: the one with most of it)."""
    point = geom.point_on_surface if geom.geom_type != "Point" else geom
    return Commune.objects.filter(geom__intersects=point).order_by("insee").first()
