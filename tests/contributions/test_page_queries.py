# SPDX-License-Identifier: AGPL-3.0-or-later
"""The map page reads its space once (issue 23, point 1: Django's CPU per answer under
load): the concertation, its themes, phases and modules were read a second time for the
style and the layers. Its queries are counted, so that a repeat coming back fails here."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory

from .conftest import lonlat_in, make_idea, url

pytestmark = pytest.mark.django_db

# Anonymous: the concertation and its themes, phases and modules; the ideas' settings,
# count and page (not their themes, zones and photos, which the page does not show); the
# layers; the other modules' entries.
MAP_PAGE_QUERIES = 13
# Signed in: the session, the account and its roles (a resident's roles name no planner:
# whether they plan this territory is not asked).
SIGNED_IN_MORE = 3


def repeated(queries: CaptureQueriesContext) -> dict[str, int]:
    return {
        sql: n for sql, n in Counter(q["sql"] for q in queries.captured_queries).items() if n > 1
    }


def concertation_reads(queries: CaptureQueriesContext) -> int:
    return sum(
        q["sql"].startswith('SELECT "concertations_concertation"."id"')
        for q in queries.captured_queries
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_map_page_reads_its_space_once(client, open_concertation, signed_in):
    for n in range(3):
        make_idea(open_concertation, UserFactory(), title=f"Idée {n}")
    if signed_in:
        client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/concertations/{open_concertation.slug}/")
    assert page.status_code == 200
    assert concertation_reads(queries) == 1
    assert not repeated(queries)
    assert len(queries) <= MAP_PAGE_QUERIES + SIGNED_IN_MORE * signed_in, [
        q["sql"][:120] for q in queries.captured_queries
    ]


# The space (concertation, themes, phases, modules), and one more: the TileJSON's bounds
# (their extent, until cached), the style's tilesets' layers.
SPACE_QUERIES = 4


@pytest.mark.parametrize(
    ("path", "most"),
    [
        ("/tiles/contributions-{slug}.json", SPACE_QUERIES + 1),
        ("/tiles/styles/{slug}.json", SPACE_QUERIES + 1),
    ],
)
def test_the_map_s_documents_read_their_space_once(client, open_concertation, path, most):
    """Their tileset's layers and whether its module is on each asked for the space
    (core.middleware.space_reads_shared): 8 and 9 queries before."""
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(path.format(slug=open_concertation.slug))
    assert answer.status_code == 200
    assert concertation_reads(queries) == 1
    assert not repeated(queries)
    assert len(queries) <= most, [q["sql"][:120] for q in queries.captured_queries]


def test_an_idea_s_debate_is_read_without_its_space_or_its_geometry(client, open_concertation):
    """The comments of an idea: which concertation it belongs to and its status, then the
    comments (three queries, where the whole idea and its space took six and parsed the
    idea's geometries)."""
    idea = make_idea(open_concertation, UserFactory(), title="Un banc")
    path = f"/api/v1/concertations/{open_concertation.slug}/contributions/{idea.pk}/comments/"
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(path)
    assert answer.status_code == 200 and answer.json() == []
    assert len(queries) <= 3, [q["sql"][:120] for q in queries.captured_queries]
    assert not [q for q in queries.captured_queries if "geom" in q["sql"]]


def test_a_posted_idea_is_answered_without_reading_it_again_through_the_orm(
    client, open_concertation
):
    """The answer to a posted idea is its feature as the list gives it, written by
    PostgreSQL (list_features.py): the serializer's way read the idea again with its
    themes, zones and photos and parsed its geometries."""
    client.force_login(UserFactory())
    theme = open_concertation.themes.order_by("pk").first()
    place = lonlat_in("UB")
    body = {
        "title": "Un abri à vélos <près> de la gare",
        "text": "Les trains du matin partent tôt.",
        "themes": [theme.pk],
        "geometry": {"type": "Point", "coordinates": place},
    }
    with CaptureQueriesContext(connection) as queries:
        posted = client.post(url(open_concertation), body, content_type="application/json")
    assert posted.status_code == 201, posted.content
    feature = posted.json()
    assert feature["properties"]["title"] == body["title"]
    assert feature["properties"]["themes"] == [theme.name]
    assert feature["geometry"]["type"] == "Point"
    assert [round(c, 5) for c in feature["geometry"]["coordinates"]] == [round(c, 5) for c in place]
    prefetches = [
        q["sql"][:80]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "contributions_contributionphoto"."id"')
    ]
    assert not prefetches, prefetches
