# SPDX-License-Identifier: AGPL-3.0-or-later
"""A concertation with contributions in several zones, communes, channels, themes,
statuses and weeks, to count in SQL what the dashboard counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.services import role_grant
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.moderation import contribution_answer, contribution_hide
from tests.factories import TerritoryFactory, UserFactory
from tests.worlds import demo_user, make_idea

ANSWER_SERVICE = "Service urbanisme de la CC"


def build_world(concertation) -> dict:
    """Five public ideas at one point of an A zone (two retained), four at one point of
    a UE zone made ten days ago through a workshop, one hidden idea in a UB zone."""
    mobility, housing = (
        concertation.themes.get(name="Mobilité"),
        concertation.themes.get(name="Habitat"),
    )
    planner = demo_user("urbanisme@demo.invalid")
    in_a = [
        make_idea(
            concertation,
            UserFactory(),
            libelle="A",
            title=f"Chemin agricole {n}",
            text="Rouvrir le chemin entre les fermes.",
            theme_ids=[mobility.pk],
        )
        for n in range(5)
    ]
    in_ue = [
        make_idea(
            concertation,
            UserFactory(),
            libelle="UE",
            title=f"Logements près de l'école {n}",
            text="Des logements pour les familles.",
            theme_ids=[housing.pk, mobility.pk] if n == 0 else [housing.pk],
            channel=Contribution.Channel.WORKSHOP,
        )
        for n in range(4)
    ]
    hidden = make_idea(
        concertation,
        UserFactory(),
        libelle="UB",
        title="Hors sujet",
        text="Rien à voir.",
        channel=Contribution.Channel.PAPER,
    )
    contribution_hide(
        contribution=hidden,
        actor=demo_user("moderation@demo.invalid"),
        reason="Hors charte.",
    )
    for idea in in_a[:2]:
        contribution_answer(
            contribution=idea,
            actor=planner,
            status=Contribution.Status.RETAINED,
            answer=f"Le chemin {idea.title} sera rouvert.",
            answer_service=ANSWER_SERVICE,
        )
    Contribution.objects.filter(pk__in=[c.pk for c in in_ue]).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    return {"a": in_a, "ue": in_ue, "hidden": hidden, "mobility": mobility, "housing": housing}


@pytest.fixture
def world(open_concertation):
    return build_world(open_concertation)


@pytest.fixture
def other_planner():
    """A planner, but of another territory."""
    user = UserFactory()
    role_grant(user=user, role=Role.PLANNER, territory=TerritoryFactory())
    return user
