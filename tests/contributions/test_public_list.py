# SPDX-License-Identifier: AGPL-3.0-or-later
"""The public contribution list built by PostgreSQL answers, byte for byte, what the
output serializer answered, in every status, filter, ordering and page; in a fixed
number of queries; and under a rate of its own for heavy reads."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape
from rest_framework import mixins
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory
from rest_framework_gis.pagination import GeoJsonPagination

from carto_concertation.contributions.api import ContributionPagination, ContributionViewSet
from carto_concertation.contributions.models import Contribution, ContributionZone
from carto_concertation.contributions.selectors import PUBLIC_STATUSES
from carto_concertation.core.throttles import HeavyReadThrottle
from tests.factories import UserFactory

from .conftest import make_idea, url

pytestmark = pytest.mark.django_db


class SerializerPagination(GeoJsonPagination):
    page_size = ContributionPagination.page_size
    page_size_query_param = ContributionPagination.page_size_query_param
    max_page_size = ContributionPagination.max_page_size


class SerializerList(ContributionViewSet):
    """The list as ContributionOutputSerializer answered it before: the reference."""

    pagination_class = SerializerPagination
    renderer_classes = [JSONRenderer]

    def get_throttles(self):
        return []

    def list(self, request, *args, **kwargs):
        return mixins.ListModelMixin.list(self, request, *args, **kwargs)


def queries(varied) -> list[dict]:
    theme = varied["theme"]
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    return [
        {},
        {"page_size": 3},
        {"page_size": 3, "page": 2},
        {"page_size": 3, "page": "last"},
        {"page_size": 1000},
        {"ordering": "recent"},
        {"ordering": "supported", "page_size": 4},
        {"ordering": "debated"},
        {"status": "hidden"},
        {"status": "merged"},
        {"status": ["retained", "partly_retained", "not_retained"]},
        {"status": "under_study", "ordering": "supported"},
        {"theme": theme["Mobilité"]},
        {"theme": f"{theme['Habitat']},{theme['Environnement']}", "ordering": "debated"},
        {"typezone": "U"},
        {"typezone": ["A", "N"], "page_size": 2, "page": 2},
        {"commune": varied["commune"]},
        {"search": "vélo"},
        {"bbox": varied["bbox"]},
        {"created_after": yesterday},
        {"created_before": yesterday},
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_list_answers_what_the_serializer_answered(open_concertation, varied, language):
    factory = APIRequestFactory()
    path = url(open_concertation)
    ours = ContributionViewSet.as_view({"get": "list"})
    reference = SerializerList.as_view({"get": "list"})
    # A /64 of its own: no other test's rate counters.
    client_address = f"2001:db8:{uuid.uuid4().hex[:4]}::1"
    features = {}
    with translation.override(language):
        for params in queries(varied):
            answers = []
            for view in (ours, reference):
                request = factory.get(path, params, REMOTE_ADDR=client_address)
                answer = view(request, concertation_slug=open_concertation.slug)
                answers.append((answer.status_code, answer.render().content))
            assert answers[0] == answers[1], params
            features.update((f["id"], f) for f in answer.data["features"])
    # The comparison saw every case.
    assert len(features) == varied["count"]
    properties = [f["properties"] for f in features.values()]
    assert {p["status"] for p in properties} == {
        "published",
        "under_study",
        "retained",
        "partly_retained",
        "not_retained",
        "hidden",
        "merged",
    }
    assert {f["geometry"]["type"] for f in features.values() if f["geometry"]} == {
        "Point",
        "LineString",
        "Polygon",
    }
    assert max(len(p["zones"]) for p in properties) > 1
    assert max(len(p["photos"]) for p in properties) == 2
    assert max(len(p["themes"]) for p in properties) == 2
    assert None in {p["commune"] for p in properties}
    assert features[varied["captured"].pk]["properties"]["author"] not in ("", None)


def test_a_page_is_four_queries_however_rich_the_ideas(
    client, open_concertation, varied, django_assert_num_queries
):
    """The concertation, the count, the page's ids, their features: whatever the number
    of ideas, themes, zones, photos and comments on the page."""
    with django_assert_num_queries(4):
        first = client.get(url(open_concertation), {"page_size": 2})
    with django_assert_num_queries(4):
        every = client.get(url(open_concertation), {"page_size": 1000, "ordering": "debated"})
    assert len(first.json()["features"]) == 2
    assert len(every.json()["features"]) == varied["count"]


def test_the_map_page_lists_its_ideas_without_reading_a_geometry(client, open_concertation, varied):
    """The list without JavaScript shows each idea's title, text, status, supports,
    commune and answer: the ideas' geometries, their communes' outlines and the zones,
    themes and photos the API reads (parsed by GEOS, built into objects) were a quarter
    of the page's CPU. What it shows is still there."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/concertations/{open_concertation.slug}/")
    assert page.status_code == 200
    (listing,) = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "contributions_contribution"' in q["sql"] and "COUNT(*)" not in q["sql"]
    ]
    selected = listing.split(' FROM "contributions_contribution" ')[0]
    assert '"territories_commune"."name"' in selected
    assert "geom" not in selected and "ST_Transform" not in selected, selected
    for table in ("contributions_contributionzone", "contributions_contributionphoto"):
        assert not [q for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    shown = Contribution.objects.filter(
        concertation=open_concertation, status__in=PUBLIC_STATUSES, commune__isnull=False
    ).latest("created_at", "id")
    assert shown is not None
    text = page.content.decode()
    assert escape(shown.title) in text and escape(shown.commune.name) in text


def test_heavy_reads_have_a_rate_of_their_own(client, open_concertation):
    """Past HEAVY_READ_RATE a client gets 429 on the list and on the other heavy reads
    (heat map, near-duplicates); its light reads, other addresses and people signed in
    go on. An anonymous client could read the list ten times a second before."""
    allowed = HeavyReadThrottle().num_requests
    # Each in a /64 of its own: the limits count an IPv6 client by its /64.
    address, other = (f"2001:db8:{uuid.uuid4().hex[:4]}::1" for _ in range(2))
    contributions = url(open_concertation)
    concertation = f"/api/v1/concertations/{open_concertation.slug}/"
    heavy = [
        (contributions, {"page_size": 1}),
        (url(open_concertation, "similar"), {"lon": 2.9, "lat": 46.85, "title": "Vélo"}),
        (concertation + "heatmap", {}),
    ]
    for n in range(allowed):
        path, params = heavy[n % len(heavy)]
        answer = client.get(path, params, REMOTE_ADDR=address)
        assert answer.status_code == 200, (n, answer.content[:200])
    for path, params in heavy:
        refused = client.get(path, params, REMOTE_ADDR=address)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    idea = url(open_concertation, pk=make_idea(open_concertation, UserFactory()).pk)
    for light in (concertation, idea):
        assert client.get(light, REMOTE_ADDR=address).status_code == 200
    assert client.get(contributions, REMOTE_ADDR=other).status_code == 200
    client.force_login(UserFactory())
    assert client.get(contributions, REMOTE_ADDR=address).status_code == 200


def test_an_idea_s_zones_come_in_one_order_in_the_list_and_its_detail(
    client, open_concertation, varied
):
    """The zones of an idea on several are listed in the order they were linked, by the
    list (PostgreSQL) and by the serializer alike; the serializer took them in whatever
    order the table returned, and an idea on a border read differently in each."""
    idea = next(
        c
        for c in open_concertation.contributions.all()
        if c.zone_links.count() > 1 and c.status == "published"
    )
    links = list(idea.zone_links.order_by("id"))
    # Stored again with ids in the reverse of their order in the table.
    top = ContributionZone.objects.order_by("-id").values_list("id", flat=True).first()
    ContributionZone.objects.filter(contribution=idea).delete()
    for offset, link in enumerate(links):
        link.pk = top + len(links) - offset
        link.save(force_insert=True)
    listed = client.get(url(open_concertation), {"page_size": 1000}).json()["features"]
    [in_list] = [f for f in listed if f["id"] == idea.pk]
    detail = client.get(url(open_concertation, pk=idea.pk)).json()
    expected = [link.zone.libelle for link in sorted(links, key=lambda link: link.pk)]
    assert [z["libelle"] for z in in_list["properties"]["zones"]] == expected
    assert [z["libelle"] for z in detail["properties"]["zones"]] == expected
