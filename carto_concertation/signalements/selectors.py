# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads of the signalements. Every public surface (pages, API, Open311, tiles, exports)
starts from ``reports_public``: confirmed, public and not hidden, never more."""

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db.models import Func, IntegerField, OuterRef, Q, QuerySet, Subquery

from carto_concertation.accounts.selectors import user_is_administrator
from carto_concertation.core.geojson import geojson_wgs84
from carto_concertation.territories.models import Commune

from .models import Category, Report, ReportFollower, ReportPhoto, Route, Service

WGS84 = 4326
# Decimals of the coordinates the API sends (7: about a centimetre).
COORDINATE_PRECISION = 7


def reports_public() -> QuerySet[Report]:
    """The reports anyone may see: confirmed, public, not hidden (a banned sender's)."""
    return Report.objects.filter(is_public=True, is_hidden=False).exclude(
        state=Report.State.UNCONFIRMED
    )


def reports_visible_to(user) -> QuerySet[Report]:
    """What a person may read: the public ones, their own (even private or unconfirmed,
    never a hidden one), and, for an agent, every report of their services."""
    if user is None or not user.is_authenticated:
        return reports_public()
    if user_is_administrator(user=user):
        return Report.objects.all()
    public = Q(is_public=True, is_hidden=False) & ~Q(state=Report.State.UNCONFIRMED)
    own = Q(author=user, is_hidden=False)
    of_services = Q(service__members=user)
    return Report.objects.filter(public | own | of_services).distinct()


def categories_of(territory_id: int) -> QuerySet[Category]:
    """The territory's active categories, parents before children, in their order."""
    return (
        Category.objects.filter(territory_id=territory_id, active=True)
        .select_related("parent")
        .prefetch_related("questions")
        .order_by("parent_id", "position", "name")
    )


def service_for(*, commune: Commune | None, category: Category) -> Service | None:
    """Who receives a report of this category here: the routing table's service for the
    commune and the category (or its parent category), else the territory's triage."""
    if commune is not None:
        codes = [category.pk] + ([category.parent_id] if category.parent_id else [])
        routes = {
            route.category_id: route.service
            for route in Route.objects.filter(
                commune=commune, category_id__in=codes
            ).select_related("service")
        }
        for code in codes:
            if code in routes:
                return routes[code]
    return Service.objects.filter(territory_id=category.territory_id, is_triage=True).first()


def commune_at(*, territory_id: int, point: Point) -> Commune | None:
    """The commune of the territory that covers the point."""
    return (
        Commune.objects.filter(territory_id=territory_id, geom__covers=point)
        .order_by("insee")
        .first()
    )


def services_of_agent(user) -> QuerySet[Service]:
    if user is None or not user.is_authenticated:
        return Service.objects.none()
    return Service.objects.filter(members=user).select_related("commune", "territory")


def reports_for_output(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Reports with what their public shape reads: their place as GeoJSON in WGS84,
    category, commune, service, photos and the number of followers ("me too"). Not
    their own geometry columns, nor their commune's boundary: a list read and parsed
    every report's commune polygons (two each) for its INSEE code.

    The followers are counted in a subquery, not by grouping the reports: without a
    GROUP BY, a list's COUNT(*) leaves the annotations out (it transformed every
    report's geometry, ~30 ms at the demo's size)."""
    followers = (
        ReportFollower.objects.filter(report=OuterRef("pk"))
        .order_by()
        .annotate(count=Func("pk", function="COUNT"))
        .values("count")
    )
    return (
        reports.select_related("category", "commune", "service")
        .defer("geom", "geom_3857", "commune__geom", "commune__geom_3857")
        .annotate(
            geom_geojson=geojson_wgs84("geom", COORDINATE_PRECISION),
            follower_count=Subquery(followers, output_field=IntegerField()),
        )
        .prefetch_related("photos")
    )


def reports_nearby(*, category_id: int, point: Point, distance_m: float) -> QuerySet[Report]:
    """The open public reports of a category within ``distance_m`` of a point (any SRID),
    nearest first: what a resident may "me too" rather than file a twin."""
    point = point.transform(settings.SRID, clone=True)
    return (
        reports_for_output(reports_public())
        .filter(
            category_id=category_id,
            state__in=Report.OPEN_STATES,
            geom__dwithin=(point, D(m=distance_m)),
        )
        .annotate(distance=Distance("geom", point))
        .order_by("distance", "-id")
    )


def report_photo_visible(*, pk: int, user) -> ReportPhoto | None:
    """A photo of a report the person may read, or None."""
    return (
        ReportPhoto.objects.filter(pk=pk, report__in=reports_visible_to(user).values("pk"))
        .select_related("report")
        .first()
    )
