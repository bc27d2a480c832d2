# SPDX-License-Identifier: AGPL-3.0-or-later
"""One filter vocabulary (core.filters): the same parameters select the same ideas in the
list of the API, in the tiles and in the dashboard's figures, aliases included."""

import gzip
import uuid
from datetime import timedelta

import mapbox_vector_tile
import pytest
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.services import role_grant
from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.services import concertation_create
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.moderation import contribution_answer
from carto_concertation.contributions.services import contribution_create
from carto_concertation.core.filters import VOCABULARY, vocabulary_query

from ..factories import CommuneFactory, UserFactory
from .test_vector_tiles import tile_of

pytestmark = pytest.mark.django_db
Status = Contribution.Status


@pytest.fixture
def world():
    """Six ideas at one point of a commune: two themes, three public statuses, three of
    them made ten days ago."""
    commune = CommuneFactory()
    now = timezone.now()
    space = concertation_create(
        territory=commune.territory,
        title=f"Filtres {uuid.uuid4().hex[:8]}",
        phases={Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=1), now + timedelta(days=30))},
        themes=[("Mobilité", "#1f77b4"), ("Habitat", "#ff7f0e")],
        status=Concertation.Status.OPEN,
    )
    mobility, housing = space.themes.order_by("name").reverse()
    here = commune.geom.point_on_surface.transform(4326, clone=True)  # as a client gives it
    plan = [
        ([mobility], Status.PUBLISHED, 0),
        ([mobility, housing], Status.RETAINED, 0),
        ([housing], Status.UNDER_STUDY, 0),
        ([housing], Status.PUBLISHED, 10),
        ([mobility], Status.RETAINED, 10),
        ([], Status.PUBLISHED, 10),
    ]
    planner = UserFactory()
    role_grant(user=planner, role=Role.PLANNER, territory=commune.territory)
    for n, (themes, status, age) in enumerate(plan):
        idea = contribution_create(
            concertation=space,
            author=UserFactory(),
            title=f"Idée {n}",
            text="Un texte.",
            geometry=here,
            theme_ids=[theme.pk for theme in themes],
        )
        if status != Status.PUBLISHED:
            contribution_answer(
                contribution=idea,
                actor=planner,
                status=status,
                answer="Réponse de la collectivité.",
                answer_service="Service urbanisme",
            )
        Contribution.objects.filter(pk=idea.pk).update(created_at=now - timedelta(days=age))
    point = here.transform(3857, clone=True)
    return {
        "space": space,
        "planner": planner,
        "theme": {"mobility": mobility.pk, "housing": housing.pk},
        "tile": (14, *tile_of(point.x, point.y, 14)),
        "day": (timezone.localdate() - timedelta(days=5)).isoformat(),
    }


def listed(client, space, query: str) -> set[int]:
    response = client.get(f"/api/v1/concertations/{space.slug}/contributions/?{query}")
    assert response.status_code == 200, response.content
    return {feature["id"] for feature in response.json()["features"]}


def tiled(client, space, tile, query: str) -> set[int]:
    z, x, y = tile
    response = client.get(
        f"/tiles/contributions-{space.slug}/{z}/{x}/{y}.mvt?{query}",
        headers={"accept-encoding": "gzip"},
    )
    if response.status_code == 204:
        return set()
    assert response.status_code == 200, response.content
    features = mapbox_vector_tile.decode(gzip.decompress(response.content))["contributions"]
    return {feature["id"] for feature in features["features"]}


def counted(client, space, query: str) -> int:
    response = client.get(f"/api/v1/concertations/{space.slug}/stats?{query}")
    assert response.status_code == 200, response.content
    return response.json()["total"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "theme={mobility}",
        "theme={mobility},{housing}",
        "status=retained",
        "status=retained,under_study",
        "created_after={day}",
        "created_before={day}",
        "since={day}",
        "until={day}&theme={housing}",
        "created_after={day}&status=published,retained",
    ],
)
def test_the_same_parameters_select_the_same_ideas_everywhere(client, world, query):
    space = world["space"]
    query = query.format(day=world["day"], **world["theme"])
    client.force_login(world["planner"])
    ids = listed(client, space, query)
    assert tiled(client, space, world["tile"], query) == ids
    assert counted(client, space, query) == len(ids)
    if query:
        assert 0 < len(ids) < 6, query  # the filter selects, and something


def test_an_alias_is_the_parameter_itself_and_its_own_name_wins():
    assert {param.name: param.aliases for param in VOCABULARY} == {
        "theme": (),
        "status": (),
        "created_after": ("since",),
        "created_before": ("until",),
        "category": (),
    }
    query = vocabulary_query({"since": "2026-01-01", "until": "2026-02-01"})
    assert (query["created_after"], query["created_before"]) == ("2026-01-01", "2026-02-01")
    assert "since" not in query
    both = vocabulary_query({"since": "2026-01-01", "created_after": "2026-03-01"})
    assert both["created_after"] == "2026-03-01"
