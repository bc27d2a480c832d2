# SPDX-License-Identifier: AGPL-3.0-or-later
"""The planners' dashboard reads its concertation, themes, phases and modules once
(issue 23, point 1: Django's CPU per answer under load): the figures, the crossed table
and the space's figures per commune each read them again. Its queries are counted, so
that a repeat coming back fails here."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.worlds import demo_user

pytestmark = pytest.mark.django_db

# The session, account and roles; the concertation, its themes, phases and modules;
# whether a planner; the filter's themes; the figures (count, statuses, channels, themes,
# communes, TYPEZONE, themes × TYPEZONE, weeks); the bilan's publication and phase; each
# module's figures per commune and their communes; the templates, the list and its
# themes; the bilan jobs; the zones counted, for the table read without JavaScript; the
# map's style the page carries: its chosen layers, and each tileset's bounds until they
# are cached (three here, none once cached).
DASHBOARD_QUERIES = 33


@pytest.fixture
def planner_client(client):
    client.force_login(demo_user("urbanisme@demo.invalid"))
    return client


def test_the_dashboard_reads_its_space_once(planner_client, open_concertation, world):
    with CaptureQueriesContext(connection) as queries:
        page = planner_client.get(f"/concertations/{open_concertation.slug}/tableau-de-bord/")
    assert page.status_code == 200
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not {sql: n for sql, n in Counter(sqls).items() if n > 1}
    for table in ("concertations_concertation", "concertations_theme", "concertations_phase"):
        # Their rows as such (the figures per theme count ideas on top of them).
        whole_rows = [
            sql
            for sql in sqls
            if sql.startswith(f'SELECT "{table}"."id", ') and "COUNT(" not in sql
        ]
        assert len(whole_rows) == 1, (table, whole_rows)
    assert len(sqls) <= DASHBOARD_QUERIES, [sql[:120] for sql in sqls]
