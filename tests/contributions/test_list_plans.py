# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the list of a concertation's ideas and its export read does not grow with the
platform (issue 24): each idea's themes are looked up among its concertation's themes,
not among every concertation's. ``EXPLAIN ANALYZE`` counts the rows each plan reads."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carto_concertation.concertations.models import Theme
from carto_concertation.contributions.exports.selectors import export_geojson_features_sql
from tests.factories import ConcertationFactory, UserFactory

from .conftest import make_idea, url

pytestmark = pytest.mark.django_db


def analysed_plan(sql: str, params=None) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()[0]
    return plan if isinstance(plan, dict) else json.loads(plan)


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def rows_read(plan: dict, table: str) -> int:
    """Rows that the plan's scans of ``table`` read: returned and removed by their
    filter, in every loop."""
    return sum(
        (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
        for node in nodes(plan["Plan"])
        if node.get("Relation Name") == table
    )


def test_each_idea_s_themes_are_looked_up_among_its_concertation_s_themes(
    client, open_concertation
):
    """The themes of the list's page and of the export come from the concertation's few,
    not from a hash of every concertation's themes built for each idea (at ×10 of the
    scale bench: 348 themes read per idea, the export 1.35× its ×1 time)."""
    mine = list(open_concertation.themes.values_list("pk", flat=True))
    author = UserFactory()
    own = [make_idea(open_concertation, author, nth=n, theme_ids=mine[:2]) for n in range(5)]
    for _ in range(30):
        other = ConcertationFactory()
        Theme.objects.bulk_create(Theme(concertation=other, name=f"Thème {n}") for n in range(12))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE concertations_theme")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(open_concertation))
    names = sorted(Theme.objects.filter(pk__in=mine[:2]).values_list("name", flat=True))
    assert [f["properties"]["themes"] for f in response.json()["features"]] == [names] * len(own)
    (page,) = [q["sql"] for q in queries.captured_queries if "concertations_theme" in q["sql"]]
    export, params = export_geojson_features_sql(concertation_id=open_concertation.pk)
    for plan in (analysed_plan(page), analysed_plan(export, params)):
        assert rows_read(plan, "concertations_theme") <= len(own) * len(mine)
