# SPDX-License-Identifier: AGPL-3.0-or-later
"""Map questions' results: markers and respondents, the follow-up choices, the counts per
PLU/PLUi zone and per commune (a drawn marker counts once in each zone LIBELLE and each
commune it touches; a pick in the zone or commune picked), with the follow-up choices of
each; the heat map (square cells of the Web Mercator grid) and, for the organisers, every
marker."""

import json
from collections import defaultdict

from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, QuerySet

from carto_concertation.territories.models import Commune
from plui_documents.models import Zone

from ...models import AnswerFeature, Question
from ...models.responses import TextModeration
from ..questionnaires import questionnaire_communes, questionnaire_zones
from .common import share, submitted_answers, submitted_features

# Decimals of the GeoJSON coordinates (about 10 cm).
PRECISION = 6
HEATMAP_CELL_DEFAULT = 500
HEATMAP_CELL_RANGE = (100, 5000)


def map_result(question: Question) -> dict:
    features = submitted_features(question)
    answered = submitted_answers(question).filter(features__isnull=False).distinct().count()
    total = features.count()
    follow_up = _follow_up_choices(question)
    counts = dict(
        features.exclude(marker_choice=None)
        .values_list("marker_choice")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {
        "answered": answered,
        "markers": total,
        "follow_up_label": question.marker_choice_label,
        "follow_up": [
            {
                "id": pk,
                "label": label,
                "count": counts.get(pk, 0),
                "share": share(counts.get(pk, 0), total),
            }
            for pk, label in follow_up.items()
        ],
        "by_zone": _by_zone(question, features, follow_up),
        "by_commune": _by_commune(question, features, follow_up),
        "texts": list(
            features.filter(comment_moderation=TextModeration.PUBLISHED)
            .exclude(comment="")
            .order_by("pk")
            .values_list("comment", flat=True)
        ),
    }


def _follow_up_choices(question: Question) -> dict[int, str]:
    return dict(
        question.choices.filter(for_marker=True).order_by("position").values_list("pk", "label")
    )


def _joined(features: QuerySet, areas: QuerySet, key: str) -> list[tuple]:
    """(``key`` of the area, follow-up choice, markers) for the drawn markers touching
    each of ``areas``: a marker over two areas of the same key counts once."""
    try:
        features_sql, features_params = features.order_by().values("pk").query.sql_with_params()
        areas_sql, areas_params = areas.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a .none() side (a space without PLU/PLUi): nothing to join
        return []
    table = areas.model._meta.db_table
    sql = f"""
        SELECT a.{key}, f.marker_choice_id, count(DISTINCT f.id)
        FROM {AnswerFeature._meta.db_table} f JOIN {table} a ON ST_Intersects(a.geom, f.geom)
        WHERE f.id IN ({features_sql}) AND a.id IN ({areas_sql})
        GROUP BY 1, 2
    """  # noqa: S608 — the inner queries are the ORM's own SQL, their values parameters.
    with connection.cursor() as cursor:
        cursor.execute(sql, [*features_params, *areas_params])
        return cursor.fetchall()


def _grouped(rows, follow_up: dict[int, str]) -> dict:
    """{key: (markers, [each follow-up choice's count])} from (key, choice, count) rows."""
    counts: dict = defaultdict(lambda: defaultdict(int))
    for key, choice, count in rows:
        counts[key][choice] += count
    return {
        key: (
            sum(by_choice.values()),
            [
                {"id": pk, "label": label, "count": by_choice.get(pk, 0)}
                for pk, label in follow_up.items()
            ],
        )
        for key, by_choice in counts.items()
    }


def _by_zone(question: Question, features: QuerySet, follow_up: dict) -> list[dict]:
    """Per zone LIBELLE (UA, 1AUh…), the markers most first."""
    zones = questionnaire_zones(question.page.questionnaire)
    if question.kind == Question.Kind.ZONES:
        rows = features.values_list("zone__libelle", "marker_choice").annotate(n=Count("pk"))
        zones = Zone.objects.filter(pk__in=features.values("zone"))
    elif question.kind in Question.GEOMETRY_KINDS:
        rows = _joined(features, zones, "libelle")
    else:
        return []
    names = {
        libelle: (libelong, typezone)
        for libelle, libelong, typezone in zones.values_list("libelle", "libelong", "typezone")
    }
    grouped = _grouped(rows, follow_up)
    return sorted(
        (
            {
                "libelle": libelle,
                "libelong": names.get(libelle, ("", ""))[0],
                "typezone": names.get(libelle, ("", ""))[1],
                "count": count,
                "follow_up": by_choice,
            }
            for libelle, (count, by_choice) in grouped.items()
        ),
        key=lambda row: (-row["count"], row["libelle"]),
    )


def _by_commune(question: Question, features: QuerySet, follow_up: dict) -> list[dict]:
    """Per commune, the markers most first."""
    if question.kind == Question.Kind.COMMUNES:
        rows = features.values_list("commune", "marker_choice").annotate(n=Count("pk"))
    elif question.kind in Question.GEOMETRY_KINDS:
        rows = _joined(features, questionnaire_communes(question.page.questionnaire), "id")
    else:
        return []
    grouped = _grouped(rows, follow_up)
    communes = Commune.objects.filter(pk__in=grouped).values_list("pk", "insee", "name")
    return sorted(
        (
            {"insee": insee, "name": name, "count": grouped[pk][0], "follow_up": grouped[pk][1]}
            for pk, insee, name in communes
        ),
        key=lambda row: (-row["count"], row["name"]),
    )


def _collection(features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def heatmap(question: Question, *, cell: int = HEATMAP_CELL_DEFAULT, min_count: int = 1) -> dict:
    """Square cells of ``cell`` metres (Web Mercator grid) with the number of drawn markers
    whose point on surface falls in each, keeping the cells holding at least
    ``min_count`` (the public map hides sparse cells: one home must not show)."""
    features = submitted_features(question).filter(geom__isnull=False)
    inner, params = features.order_by().values("pk").query.sql_with_params()
    sql = f"""
        WITH cells AS (
            SELECT floor(ST_X(p) / %s)::bigint AS i, floor(ST_Y(p) / %s)::bigint AS j,
                   count(*) AS n
            FROM (SELECT ST_PointOnSurface(geom_3857) AS p
                  FROM {AnswerFeature._meta.db_table} WHERE id IN ({inner})) AS points
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
    return _collection(
        {"type": "Feature", "geometry": json.loads(geojson), "properties": {"count": count}}
        for count, geojson in rows
    )


def markers(question: Question) -> dict:
    """Every drawn marker (the organisers' map): its geometry, follow-up choice and
    comment with its moderation; no respondent."""
    rows = (
        submitted_features(question)
        .filter(geom__isnull=False)
        .annotate(geojson=AsGeoJSON(Transform("geom", 4326), precision=PRECISION))
        .select_related("marker_choice")
        .order_by("pk")
    )
    return _collection(
        {
            "type": "Feature",
            "id": row.pk,
            "geometry": json.loads(row.geojson),
            "properties": {
                "choice": row.marker_choice.label if row.marker_choice else "",
                "comment": row.comment,
                "comment_moderation": row.comment_moderation,
            },
        }
        for row in rows
    )
