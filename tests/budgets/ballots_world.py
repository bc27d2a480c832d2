# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ballot tests' world: an approval edition in its vote phase (100,000 €, 1 to 3
projects that must fit in the envelope, from 16), two districts, five projects on the
ballot (40,000 € each; n° 5 in the second district), one not on it (n° 6), a resident,
a relay of the territory's first commune, another relay and a planner."""

from types import SimpleNamespace

import pytest

from carto_concertation.accounts.models import Role
from carto_concertation.budgets.models import Ballot, BallotChoice, Participation, Project
from tests.factories import UserFactory
from tests.factories.accounts import RoleAssignmentFactory
from tests.factories.budgets import EditionFactory, ProjectFactory


def make_world(**edition_fields) -> SimpleNamespace:
    fields = {
        "districts": 2,
        "phases": "vote",
        "max_choices": 3,
        "within_envelope": True,
        "minimum_age": 16,
        **edition_fields,
    }
    edition = EditionFactory(**fields)
    first, second = list(edition.districts.order_by("pk"))
    projects = {
        n: ProjectFactory(edition=edition, number=n, estimated_cost=40_000, district=first)
        for n in range(1, 5)
    }
    projects[5] = ProjectFactory(edition=edition, number=5, estimated_cost=40_000, district=second)
    projects[6] = ProjectFactory(
        edition=edition, number=6, district=first, status=Project.Status.NOT_ADMISSIBLE
    )
    communes = list(edition.territory.communes.order_by("pk"))
    return SimpleNamespace(
        edition=edition,
        first=first,
        second=second,
        projects=projects,
        resident=UserFactory(),
        relay=RoleAssignmentFactory(
            role=Role.RELAY, territory=edition.territory, communes=communes[:1]
        ).user,
        other_relay=RoleAssignmentFactory(
            role=Role.RELAY, territory=edition.territory, communes=communes[1:2]
        ).user,
        planner=RoleAssignmentFactory(role=Role.PLANNER, territory=edition.territory).user,
    )


@pytest.fixture(name="world")
def world_fixture() -> SimpleNamespace:
    return make_world()


def written() -> tuple[int, int, int]:
    """What the votes wrote: participations, ballots, choices."""
    return Participation.objects.count(), Ballot.objects.count(), BallotChoice.objects.count()


def stored(ballot: Ballot) -> list[tuple[int, int, int | None]]:
    return sorted(
        (c.project.number, c.points, c.rank) for c in ballot.choices.select_related("project")
    )
