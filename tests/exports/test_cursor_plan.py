# SPDX-License-Identifier: AGPL-3.0-or-later
"""The export's cursor reads one concertation's rows, whatever the platform holds.

A cursor is planned for its first tenth by default (``cursor_tuple_fraction``): for
the export's ``ORDER BY id`` PostgreSQL then walked the primary key over every
contribution of the platform, keeping the concertation's (the bench's export grew
1.7× from ×1 to ×10 for the same concertation). ``EXPLAIN DECLARE`` shows the plan
the cursor gets.
"""

import pytest
from django.db import connection

from carto_concertation.contributions.exports.selectors import (
    export_geojson_features_sql,
    export_spreadsheet_sql,
    whole_result_cursor,
)

# Contributions of the other concertations of the platform, per one of the exported.
OTHERS = 60


def others_added(concertation_id: int) -> None:
    """Many contributions of another concertation (copies of the exported ones), then
    the statistics the planner reads."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'contributions_contribution' AND column_name <> 'id'"
            " AND is_generated = 'NEVER'"
        )
        columns = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT id FROM concertations_concertation WHERE id <> %s ORDER BY id LIMIT 1",
            [concertation_id],
        )
        (other,) = cursor.fetchone()
        copied = ", ".join("%s" if name == "concertation_id" else name for name in columns)
        cursor.execute(
            f"INSERT INTO contributions_contribution ({', '.join(columns)})"  # noqa: S608 — the table's own column names
            f" SELECT {copied} FROM contributions_contribution, generate_series(1, %s)"
            " WHERE concertation_id = %s",
            [other, OTHERS, concertation_id],
        )
        cursor.execute("ANALYZE contributions_contribution")


def cursor_plan(sql: str, params: dict) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN DECLARE planned CURSOR FOR {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("statement", [export_geojson_features_sql, export_spreadsheet_sql])
def test_the_export_cursor_reads_the_concertation_s_rows_only(exported, statement):
    others_added(exported.pk)
    sql, params = statement(concertation_id=exported.pk)
    walked = "Index Scan using contributions_contribution_pkey on contributions_contribution c"
    # The trap is there: planned for its first tenth, the cursor walks every contribution.
    assert walked in cursor_plan(sql, params)
    with whole_result_cursor():
        plan = cursor_plan(sql, params)
    assert walked not in plan
    assert "contributions_contribution_concertation_id" in plan, plan
