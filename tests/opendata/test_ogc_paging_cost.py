# SPDX-License-Identifier: AGPL-3.0-or-later
"""What an OGC API page costs does not grow with the whole database (issue 24): the
page's features are chosen from an index on what selects them, and numberMatched is
counted only up to a bound, then left out."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carto_concertation.opendata import features
from plui_documents.models import Zone
from tests.factories import DocumentVersionFactory, TerritoryFactory
from tests.factories.plui_documents import ZoneFactory

pytestmark = pytest.mark.django_db


def rels(document: dict) -> dict[str, dict]:
    return {link["rel"]: link for link in document["links"]}


def test_number_matched_is_counted_up_to_a_bound_then_left_out(client, monkeypatch):
    monkeypatch.setattr(features, "MATCHED_COUNT_MAX", 3)
    territory = TerritoryFactory(communes=3)
    TerritoryFactory(communes=2)
    url = "/ogc/collections/communes/items?limit=2"
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url).json()
    assert "numberMatched" not in first and first["numberReturned"] == 2
    (count,) = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert count.endswith("LIMIT 4) subquery")  # never more rows than the bound + 1
    seen = [f["id"] for f in first["features"]]
    url = rels(first)["next"]["href"]
    while url:
        page = client.get(url).json()
        seen += [f["id"] for f in page["features"]]
        url = rels(page).get("next", {}).get("href")
    assert len(set(seen)) == 5
    # The last page knows the total without a count.
    with CaptureQueriesContext(connection) as queries:
        last = client.get("/ogc/collections/communes/items?limit=2&offset=4").json()
    assert last["numberMatched"] == 5 and "next" not in rels(last)
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]
    # Within the bound, the count is given (a territory's three communes).
    own = client.get(f"/ogc/collections/communes/items?limit=2&territoire={territory.siren}")
    assert own.json()["numberMatched"] == 3 and "next" in rels(own.json())
    html = client.get("/ogc/collections/communes/items?limit=2&f=html").content.decode()
    assert "Objets 1 à 2 sur plus de 3." in html and 'rel="next"' in html


def _zones(version, count: int) -> None:
    Zone.objects.bulk_create(
        ZoneFactory.build(version=version, idurba=version.document.idurba, source_fid=n)
        for n in range(count)
    )


def _rows_read(plan: dict, table: str) -> int:
    """Rows the plan's scans of ``table`` read: returned, and removed by their filter."""
    own = 0
    if plan.get("Relation Name") == table:
        own = (plan["Actual Rows"] + plan.get("Rows Removed by Filter", 0)) * plan["Actual Loops"]
    return own + sum(_rows_read(child, table) for child in plan.get("Plans", []))


def test_a_territory_page_reads_its_own_zones_not_every_zone_before_them(client):
    """The other territory's 4,000 zones come first in id order: walking the ids until
    enough of this territory's turn up would read them all (as a region's zones were,
    1.7 s at ×10 of the scale bench); the page reads its territory's from the index."""
    other = DocumentVersionFactory()
    _zones(other, 4000)
    own = DocumentVersionFactory()
    _zones(own, 200)
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE plui_documents_zone; ANALYZE plui_documents_documentversion;"
            " ANALYZE plui_documents_urbandocument; ANALYZE territories_territory"
        )
    siren = own.document.territory.siren
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/ogc/collections/zone_urba/items?limit=10&territoire={siren}")
    page = response.json()
    assert page["numberMatched"] == 200 and page["numberReturned"] == 10
    first_ids = sorted(Zone.objects.filter(version=own).values_list("pk", flat=True))[:10]
    assert [f["id"] for f in page["features"]] == first_ids
    (sql,) = [q["sql"] for q in queries.captured_queries if "ST_AsGeoJSON" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()[0]
    plan = plan if isinstance(plan, dict) else json.loads(plan)
    assert _rows_read(plan["Plan"], "plui_documents_zone") <= 200 + 10 + 1
