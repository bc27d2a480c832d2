# SPDX-License-Identifier: AGPL-3.0-or-later
"""A relay's capture write and capture page ask who may run the workshop once (issue 23,
point 1: the load bench's relays). The write asked it three times (the view's runner
check, the service's, then the commune's permission) and read the commune's territory
for a planner's check a relay cannot pass. Their queries are counted, so that a repeat
coming back fails here; the object-level check stays on every write (test_scope.py)."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carto_concertation.workshops.services import CapturePayload, workshop_capture_record

from .conftest import capture_body, captures_url

pytestmark = pytest.mark.django_db

# The session, account and roles; the workshop (in the relay's communes); the savepoint;
# the relay's commune permission; the key's lock and capture; the phases; the idea (its
# settings, texts, themes, commune, zones); the capture; the audit entry.
CAPTURE_QUERIES = 26
# The session, account and roles; the workshop; the accepted geometries, the counts and
# the themes.
CAPTURE_PAGE_QUERIES = 7

# The relay's communes asked as a permission (the workshop's own query holds them as a
# subquery, not as this statement).
PERMISSION = 'SELECT DISTINCT 1 AS "a" FROM "territories_commune" INNER JOIN "accounts_roleassignment_communes"'


def repeated(sqls: list[str]) -> dict[str, int]:
    return {sql: n for sql, n in Counter(sqls).items() if n > 1}


def test_a_capture_asks_its_permission_once(client, workshop):
    body = capture_body()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(captures_url(workshop), body, content_type="application/json")
    assert response.status_code == 201, response.json()
    sqls = [q["sql"] for q in queries.captured_queries]
    assert len([sql for sql in sqls if sql.startswith(PERMISSION)]) == 1
    assert not [sql for sql in sqls if 'FROM "territories_territory"' in sql]
    # The ideas module reads its settings twice (the place, then the moderation): its own.
    assert all("contributions_ideassettings" in sql for sql in repeated(sqls)), repeated(sqls)
    assert len(sqls) <= CAPTURE_QUERIES, [sql[:120] for sql in sqls]


def test_the_capture_page_asks_its_permission_once(client, workshop):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/workshops/{workshop.pk}/capture/")
    assert page.status_code == 200
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not repeated(sqls)
    assert not [sql for sql in sqls if sql.startswith(PERMISSION)]
    assert len(sqls) <= CAPTURE_PAGE_QUERIES, [sql[:120] for sql in sqls]


def test_a_relay_of_another_commune_is_still_refused(client, workshop, other_relay):
    """The permission asked once, still asked: the other relay's capture is not found,
    and the service refuses the write itself."""
    client.force_login(other_relay)
    body = capture_body()
    response = client.post(captures_url(workshop), body, content_type="application/json")
    assert response.status_code == 404
    payload = CapturePayload(
        title=body["title"], text=body["text"], geometry=workshop.commune.geom.point_on_surface
    )
    with pytest.raises(ValidationError) as refused:
        workshop_capture_record(
            workshop=workshop, user=other_relay, key=body["key"], payload=payload
        )
    assert "commune" in refused.value.message_dict
