# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads behind the planners' dashboard and the bilan: figures, choropleths and the
heat map of a set of contributions (always the output of stats_filters)."""

import json

from django.conf import settings
from django.contrib.gis.db.models.functions import Area, AsGeoJSON, Transform
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncWeek
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation, Theme
from carto_concertation.core.wgs84 import wgs84
from carto_concertation.territories.models import Commune
from plui_documents.models import Zone

from ..models import Contribution, ContributionZone

# Decimals of the GeoJSON coordinates (about 10 cm): enough for a choropleth.
PRECISION = 6
HEATMAP_CELL_DEFAULT = 500
HEATMAP_CELL_RANGE = (100, 5000)


def perimeter_extent(concertation: Concertation) -> tuple[float, float, float, float]:
    """West, south, east, north of the concertation's perimeter, in WGS84."""
    return wgs84(concertation.perimeter).extent


def _ids(contributions: QuerySet[Contribution]) -> QuerySet:
    return contributions.order_by().values("pk")


def _rows(queryset, *keys: str) -> list[dict]:
    return [{**{k: row[k] for k in keys}, "count": row["count"]} for row in queryset]


def stats_figures(*, concertation: Concertation, contributions: QuerySet[Contribution]) -> dict:
    """Every figure of the dashboard for these contributions. A contribution over two
    zones counts once in each zone and once in each TYPEZONE it touches; with two
    themes, once in each theme."""
    ids = _ids(contributions)
    status_labels = dict(Contribution.Status.choices)
    channel_labels = dict(Contribution.Channel.choices)
    links = ContributionZone.objects.filter(contribution__in=ids)
    by_status = contributions.order_by().values("status").annotate(count=Count("pk"))
    by_channel = contributions.order_by().values("channel").annotate(count=Count("pk"))
    themes = Theme.objects.filter(concertation=concertation).annotate(
        count=Count("contributions", filter=Q(contributions__in=ids))
    )
    communes = (
        contributions.order_by()
        .values("commune__insee", "commune__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "commune__name")
    )
    typezones = (
        links.order_by()
        .values("zone__typezone")
        .annotate(count=Count("contribution", distinct=True))
        .order_by("zone__typezone")
    )
    crossed = (
        links.order_by()
        .values("zone__typezone", "contribution__themes")
        .annotate(count=Count("contribution", distinct=True))
    )
    weeks = (
        contributions.order_by()
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(count=Count("pk"))
        .order_by("week")
    )
    return {
        "total": contributions.count(),
        "by_status": [
            {"status": r["status"], "label": str(status_labels[r["status"]]), "count": r["count"]}
            for r in by_status.order_by("status")
        ],
        "by_channel": [
            {
                "channel": r["channel"],
                "label": str(channel_labels[r["channel"]]),
                "count": r["count"],
            }
            for r in by_channel.order_by("channel")
        ],
        "by_theme": [
            {"theme": t.pk, "name": t.name, "colour": t.colour, "count": t.count} for t in themes
        ],
        "by_commune": [
            {
                "insee": r["commune__insee"],
                "name": r["commune__name"] or _("outside the communes"),
                "count": r["count"],
            }
            for r in communes
        ],
        "by_typezone": [{"typezone": r["zone__typezone"], "count": r["count"]} for r in typezones],
        "themes_by_typezone": [
            {
                "typezone": r["zone__typezone"],
                "theme": r["contribution__themes"],
                "count": r["count"],
            }
            for r in crossed.order_by("zone__typezone", "contribution__themes")
        ],
        "by_week": [{"week": r["week"].date().isoformat(), "count": r["count"]} for r in weeks],
    }


def _feature_collection(features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _density(count: int, km2: float | None) -> tuple[float, float]:
    """The area in km² (in the projected SRID: Lambert-93 measures true enough at the
    scale of a commune) and the contributions per km²."""
    km2 = km2 or 0
    return round(km2, 3), round(count / km2, 2) if km2 else 0.0


def _counted_features(rows, *fields: str) -> dict:
    """Rows (dicts) with ``pk``, ``geojson``, ``count`` and ``area`` as a
    FeatureCollection, each with its area (``area_km2``) and its ``density``
    (contributions per km²)."""
    features = []
    for row in rows:
        area = row["area"]
        area_km2, density = _density(row["count"], area.sq_km if area is not None else None)
        properties = {field: row[field] for field in fields}
        properties.update(count=row["count"], area_km2=area_km2, density=density)
        features.append(
            {
                "type": "Feature",
                "id": row["pk"],
                "geometry": json.loads(row["geojson"]),
                "properties": properties,
            }
        )
    return _feature_collection(features)


def _count_of(counted: QuerySet, group: str, distinct: str) -> Coalesce:
    """How many distinct ``distinct`` of ``counted`` (already filtered on the outer row)
    there are, 0 for none. A subquery, not an aggregate over a join: the outer query
    then has no GROUP BY, which grouped by every column — the geometries and their
    GeoJSON — and sorted them (87 of the 90 ms of the zones' choropleth, measured)."""
    per_row = (
        counted.order_by().values(group).annotate(n=Count(distinct, distinct=True)).values("n")
    )
    return Coalesce(Subquery(per_row, output_field=IntegerField()), 0)


# At most this many titles in the list of a zone or commune clicked on the dashboard.
AREA_IDEAS_MAX = 50


def stats_area_ideas(
    *, contributions: QuerySet[Contribution], zone: int | None = None, commune: int | None = None
) -> dict:
    """The filtered contributions in one zone or one commune: their count and the most
    recent AREA_IDEAS_MAX (number, title, status)."""
    if zone is not None:
        contributions = contributions.filter(zone_links__zone_id=zone)
    elif commune is not None:
        contributions = contributions.filter(commune_id=commune)
    else:
        contributions = contributions.none()
    contributions = contributions.distinct()
    listed = contributions.order_by("-created_at", "-pk")[:AREA_IDEAS_MAX]
    return {
        "count": contributions.count(),
        "ideas": [{"id": c.pk, "title": c.title, "status": c.get_status_display()} for c in listed],
    }


def stats_zones(*, concertation: Concertation, contributions: QuerySet[Contribution]) -> dict:
    """The zones of the concertation's current PLU/PLUi with the number of contributions
    touching each (GeoJSON, WGS84)."""
    document = concertation.plui_document
    if document is None or document.current_version_id is None:
        return _feature_collection(())
    links = ContributionZone.objects.filter(
        zone=OuterRef("pk"), contribution__in=_ids(contributions)
    )
    # Only the fields sent: a model instance would read and parse both geometries of
    # each zone (GEOS) for nothing.
    zones = (
        Zone.objects.filter(version_id=document.current_version_id)
        .annotate(
            count=_count_of(links, "zone", "contribution"),
            geojson=AsGeoJSON(Transform("geom", 4326), precision=PRECISION),
            area=Area("geom"),
        )
        .order_by("pk")
        .values("pk", "libelle", "typezone", "count", "geojson", "area")
    )
    return _counted_features(zones, "libelle", "typezone")


def _zone_count_rows(contributions: QuerySet[Contribution], version: int | None) -> list[tuple]:
    """(id, libelle, typezone, count, km²) of the version's zones these contributions
    touch."""
    try:
        inner, params = _ids(contributions).query.sql_with_params()
    except EmptyResultSet:  # none can match (the page's contributions under a bad filter)
        return []
    if version is None:
        return []
    # One (contribution, zone) link per pair: count(*) counts contributions. Each
    # contribution's links are looked up in the index on the contribution:
    # ``OFFSET 0`` keeps the lateral subquery apart, else PostgreSQL joins the filtered
    # contributions to a scan of every link of the platform (a hash join read all
    # 580,000 links to keep 18,000, measured).
    sql = f"""
        SELECT z.id, z.libelle, z.typezone, n.count, ST_Area(z.geom) / 1e6
        FROM (SELECT link.zone_id, count(*) AS count
              FROM ({inner}) AS counted (id)
              CROSS JOIN LATERAL (
                  SELECT zone_id FROM contributions_contributionzone
                  WHERE contribution_id = counted.id OFFSET 0
              ) AS link
              GROUP BY link.zone_id) AS n
        JOIN plui_documents_zone z ON z.id = n.zone_id
        WHERE z.version_id = %s
        ORDER BY z.id
    """  # noqa: S608 — ``inner`` is the ORM's own SQL, its values are parameters.
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, version])
        return cursor.fetchall()


# The zones the dashboard's table without JavaScript lists: the most counted.
ZONE_TABLE_MAX = 100


def stats_zone_counts(*, concertation: Concertation, contributions: QuerySet[Contribution]) -> dict:
    """The zones of the concertation's current PLU/PLUi touched by these contributions,
    with their count, area and density; ``highest`` count and density (the legend's
    top). No outline: the page colours the zoning tiles' features, whose id is the
    zone's. Counted from the contributions' own links (looked up in the index on the
    contribution), so the cost follows the concertation, not the platform."""
    document = concertation.plui_document
    version = document.current_version_id if document is not None else None
    zones = []
    for pk, libelle, typezone, count, km2 in _zone_count_rows(contributions, version):
        area_km2, density = _density(count, km2)
        zones.append(
            {
                "id": pk,
                "libelle": libelle,
                "typezone": typezone,
                "count": count,
                "area_km2": area_km2,
                "density": density,
            }
        )
    return {
        "version": version,
        "zones": zones,
        "highest": {
            "count": max((zone["count"] for zone in zones), default=0),
            "density": max((zone["density"] for zone in zones), default=0.0),
        },
    }


def stats_communes(*, concertation: Concertation, contributions: QuerySet[Contribution]) -> dict:
    """The communes of the territory with their number of contributions (GeoJSON)."""
    inside = Contribution.objects.filter(commune=OuterRef("pk"), pk__in=_ids(contributions))
    communes = (
        Commune.objects.filter(territory=concertation.territory)
        .annotate(
            count=_count_of(inside, "commune", "pk"),
            geojson=AsGeoJSON(Transform("geom", 4326), precision=PRECISION),
            area=Area("geom"),
        )
        .order_by("name")
        .values("pk", "insee", "name", "count", "geojson", "area")
    )
    return _counted_features(communes, "insee", "name")


def heatmap_min_count() -> int:
    return settings.HEATMAP_MIN_COUNT


def stats_heatmap(*, contributions: QuerySet[Contribution], cell: int, min_count: int = 1) -> dict:
    """Square cells of ``cell`` metres (Web Mercator grid) with the number of
    contributions whose point on surface falls in each, keeping the cells holding at
    least ``min_count`` (the public map hides sparse cells: one home must not show)."""
    inner, params = _ids(contributions).query.sql_with_params()
    sql = f"""
        WITH cells AS (
            SELECT floor(ST_X(p) / %s)::bigint AS i, floor(ST_Y(p) / %s)::bigint AS j,
                   count(*) AS n
            FROM (SELECT ST_PointOnSurface(geom_3857) AS p
                  FROM contributions_contribution WHERE id IN ({inner})) AS points
            GROUP BY 1, 2 HAVING count(*) >= %s
        )
        SELECT n, ST_AsGeoJSON(ST_Transform(
                   ST_MakeEnvelope(i * %s, j * %s, (i + 1) * %s, (j + 1) * %s, 3857), 4326),
                   {PRECISION})
        FROM cells ORDER BY i, j
    """  # noqa: S608 — ``inner`` is the ORM's own SQL, its values are parameters.
    with connection.cursor() as cursor:
        cursor.execute(sql, [cell, cell, *params, min_count, cell, cell, cell, cell])
        rows = cursor.fetchall()
    return _feature_collection(
        {"type": "Feature", "geometry": json.loads(geojson), "properties": {"count": count}}
        for count, geojson in rows
    )
