# SPDX-License-Identifier: AGPL-3.0-or-later
"""election_of: the database's ballots as the count reads them, for every ballot type, a
district, a recount; and 20,000 ballots in a bounded number of queries."""

import time

import pytest

from carto_concertation.budgets.models import Ballot, BallotChoice, Edition, Project
from carto_concertation.budgets.selectors.results import election_of
from tests.factories.budgets import BallotFactory, EditionFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_approval_ballots_counted_projects_and_costs():
    edition = EditionFactory(districts=2, envelope=70_000)
    p1 = ProjectFactory(edition=edition, number=1, estimated_cost=30_000, revised_cost=25_000)
    p2 = ProjectFactory(edition=edition, number=2, status=Project.Status.WINNER)
    proposed = ProjectFactory(edition=edition, number=3, status=Project.Status.PROPOSED)
    refused = ProjectFactory(edition=edition, number=4, status=Project.Status.NOT_ADMISSIBLE)
    BallotFactory(edition=edition, projects=[p2, p1, proposed])
    BallotFactory(edition=edition, projects=[refused])  # nothing counted: left out
    BallotFactory(edition=EditionFactory(), projects=[])

    election = election_of(edition)

    assert election.budget == 70_000
    assert election.vote_type == "approval"
    assert [(p.id, p.cost) for p in election.projects] == [("1", 25_000), ("2", 20_000)]
    assert len(election.ballots) == 1
    assert sorted(election.ballots[0].projects) == ["1", "2"]
    assert election.ballots[0].points is None


def test_ordinal_ballots_are_in_rank_order():
    edition = EditionFactory(ballot_type=Edition.BallotType.ORDINAL)
    p1, p2, p3 = (ProjectFactory(edition=edition, number=n) for n in (1, 2, 3))
    ballot = BallotFactory(edition=edition)
    for rank, project in ((1, p3), (2, p1), (3, p2)):
        BallotChoice.objects.create(ballot=ballot, project=project, rank=rank)

    assert election_of(edition).ballots[0].projects == ("3", "1", "2")
    assert election_of(edition).vote_type == "ordinal"


def test_cumulative_ballots_keep_their_points():
    edition = EditionFactory(ballot_type=Edition.BallotType.CUMULATIVE)
    p1, p2 = (ProjectFactory(edition=edition, number=n) for n in (1, 2))
    BallotFactory(edition=edition, projects=[p1, p2], projects__points=[3, 7])

    (ballot,) = election_of(edition).ballots
    assert dict(zip(ballot.projects, ballot.points, strict=True)) == {"1": 3, "2": 7}


def test_a_district_counts_its_projects_ballots_and_envelope():
    edition = EditionFactory(districts=2, split_by_district=True, envelope=80_000)
    north, south = edition.districts.order_by("pk")
    n1 = ProjectFactory(edition=edition, number=1, district=north)
    s1 = ProjectFactory(edition=edition, number=2, district=south)
    BallotFactory(edition=edition, district=north, projects=[n1])
    BallotFactory(edition=edition, district=south, projects=[s1])
    BallotFactory(edition=edition, district=south, projects=[s1])

    election = election_of(edition, south)
    assert election.budget == 40_000
    assert [p.id for p in election.projects] == ["2"]
    assert len(election.ballots) == 2


def test_twenty_thousand_ballots_in_a_few_queries(django_assert_max_num_queries):
    edition = EditionFactory()
    projects = [ProjectFactory(edition=edition, number=n) for n in range(1, 11)]
    ballots = Ballot.objects.bulk_create(Ballot(edition=edition) for _ in range(20_000))
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, project=projects[(index + offset) % 10])
        for index, ballot in enumerate(ballots)
        for offset in range(3)
    )

    started = time.monotonic()
    # The projects, then the choices (a server-side cursor: one query per chunk at most).
    with django_assert_max_num_queries(6):
        election = election_of(edition)
    assert time.monotonic() - started < 10
    assert len(election.ballots) == 20_000
    assert all(len(ballot.projects) == 3 for ballot in election.ballots)
    votes = sum(ballot.projects.count("1") for ballot in election.ballots)
    assert votes == 6_000
