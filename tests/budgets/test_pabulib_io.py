# SPDX-License-Identifier: AGPL-3.0-or-later
"""Import and export of editions as .pb files (services/pabulib_io.py): each real file
imports into the election it describes; export then import gives the same election and
the same count; the export is anonymous, waits for the end of the vote and says which
projects won; a second import is a second edition; a fault writes nothing."""

from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.budgets.counting import count
from carto_concertation.budgets.models import Ballot, BallotChoice, Edition, Project
from carto_concertation.budgets.pabulib import parse
from carto_concertation.budgets.selectors.pabulib import edition_election
from carto_concertation.budgets.services.pabulib_io import edition_export_pb, edition_import_pb
from tests.factories.accounts import user_with_role
from tests.factories.budgets import BallotFactory, EditionFactory, ProjectFactory, ResultRunFactory
from tests.factories.territories import TerritoryFactory

from .pabulib_cases import APPROVAL, BAD_FILES, SHARED_FILES

pytestmark = pytest.mark.django_db


def ballots(election) -> Counter:
    """The multiset of ballots: ordered for ordinal ballots, else as sets of choices."""
    if election.vote_type == "ordinal":
        return Counter(b.projects for b in election.ballots)
    return Counter(
        frozenset(zip(b.projects, b.points or (1,) * len(b.projects), strict=True))
        for b in election.ballots
    )


def renamed(election, names: dict[str, str]):
    """The file's election with its project ids turned into the edition's numbers."""
    projects = {names[p.id]: p.cost for p in election.projects}
    again = type(election)(
        budget=election.budget,
        projects=election.projects,
        ballots=tuple(
            type(b)(projects=tuple(names[p] for p in b.projects), points=b.points)
            for b in election.ballots
        ),
        vote_type=election.vote_type,
    )
    return projects, again


@pytest.fixture
def planner():
    territory = TerritoryFactory()
    return user_with_role(Role.PLANNER, territory=territory), territory


@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.stem)
def test_a_real_file_imports_into_the_election_it_describes(planner, path):
    user, territory = planner
    edition = edition_import_pb(territory=territory, file=path.read_bytes(), user=user)
    parsed = parse(path.read_bytes())
    names = dict(edition.projects.values_list("source_id", "number"))
    names = {source: str(number) for source, number in names.items()}
    costs, expected = renamed(parsed.election(), names)
    ours = edition_election(edition)
    assert ours.budget == edition.envelope == int(parsed.meta["budget"])
    assert {p.id: p.cost for p in ours.projects} == costs
    assert ours.vote_type == edition.ballot_type == parsed.vote_type
    assert ballots(ours) == ballots(expected)
    assert edition.ballots.filter(channel=Ballot.Channel.IMPORTED).count() == len(parsed.votes)
    assert set(edition.ballots.values_list("source_id", flat=True)) == {
        row["voter_id"] for row in parsed.votes
    }
    assert not edition.is_published
    assert set(edition.projects.values_list("status", flat=True)) == {Project.Status.ON_BALLOT}


@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.stem)
def test_export_then_import_gives_the_same_election_and_the_same_count(planner, path):
    user, territory = planner
    first = edition_import_pb(territory=territory, file=path.read_bytes(), user=user)
    exported = edition_export_pb(first)
    second = edition_import_pb(territory=territory, file=exported, user=user)
    one, two = edition_election(first), edition_election(second)
    assert (one.budget, one.projects, one.vote_type) == (two.budget, two.projects, two.vote_type)
    assert ballots(one) == ballots(two)
    assert count(one) == count(two)
    assert second.slug != first.slug


def test_the_limits_and_the_rule_come_from_the_meta(planner):
    user, territory = planner
    krakow = next(p for p in SHARED_FILES if "krakow" in p.name)
    toulouse = next(p for p in SHARED_FILES if "toulouse" in p.name)
    ordinal = edition_import_pb(territory=territory, file=krakow.read_bytes(), user=user)
    assert (ordinal.year, ordinal.min_choices, ordinal.max_choices) == (2020, 3, 3)
    assert ordinal.counting_rule == Edition.Rule.GREEDY
    ranks = BallotChoice.objects.filter(ballot__edition=ordinal).values_list("rank", flat=True)
    assert set(ranks) == {1, 2, 3}
    points = edition_import_pb(territory=territory, file=toulouse.read_bytes(), user=user)
    assert (points.max_points_per_project, points.max_points_total) == (3, 7)
    assert points.title == "Municipal PB in Toulouse"
    meta = parse(edition_export_pb(points)).meta
    assert (meta["max_points"], meta["max_sum_points"], meta["country"]) == ("3", "7", "France")
    assert (meta["unit"], meta["instance"], meta["budget"]) == (territory.name, "2019", "1000000")
    anin = next(p for p in SHARED_FILES if "anin" in p.name)
    approval = edition_import_pb(territory=territory, file=anin.read_bytes(), user=user)
    assert approval.within_envelope and approval.slug == "warszawa-anin-2017"
    assert (approval.min_choices, approval.max_choices) == (1, 0)
    vote = approval.phases.get(kind="vote")
    local = timezone.localtime
    assert (local(vote.starts_at).date().isoformat(), local(vote.ends_at).date().isoformat()) == (
        "2016-06-14",
        "2016-06-24",
    )


def test_an_empty_ballot_goes_and_comes_back(planner):
    # Without min_length, a ballot may be empty (a blank vote): the edition then sets no
    # minimum, and its export reads again.
    user, territory = planner
    blank = APPROVAL.replace("v2;3", "v2;")
    edition = edition_import_pb(territory=territory, file=blank, user=user)
    assert edition.min_choices == 0
    again = edition_import_pb(territory=territory, file=edition_export_pb(edition), user=user)
    assert ballots(edition_election(again)) == ballots(edition_election(edition))


def test_a_second_import_of_a_file_is_a_second_edition(planner):
    user, territory = planner
    first = edition_import_pb(territory=territory, file=APPROVAL, user=user)
    second = edition_import_pb(territory=territory, file=APPROVAL, user=user)
    assert first.pk != second.pk and first.slug != second.slug
    assert second.projects.count() == 3 and second.ballots.count() == 2


@pytest.mark.parametrize(
    ("case", "text", "line", "reason"), BAD_FILES, ids=[c[0] for c in BAD_FILES]
)
def test_a_faulty_file_writes_nothing(planner, case, text, line, reason):
    user, territory = planner
    with pytest.raises(ValidationError) as caught:
        edition_import_pb(territory=territory, file=text, user=user)
    assert caught.value.message_dict["file"][0].startswith(f"line {line}: ")
    assert (Edition.objects.count(), Project.objects.count(), Ballot.objects.count()) == (0, 0, 0)


def test_only_who_runs_the_territory_imports(planner):
    _user, territory = planner
    other_planner = user_with_role(Role.PLANNER, territory=TerritoryFactory())
    with pytest.raises(PermissionDenied):
        edition_import_pb(territory=territory, file=APPROVAL, user=other_planner)
    assert Edition.objects.count() == 0


def _voted_edition(phases: str) -> Edition:
    edition = EditionFactory(phases=phases)
    a, b, c = (
        ProjectFactory(edition=edition, estimated_cost=cost) for cost in (40_000, 50_000, 70_000)
    )
    for choice in ([a, b], [a], [c], [a, c]):
        BallotFactory(edition=edition, projects=choice, source_id="dupont-jean")
    return edition


def test_the_export_waits_for_the_end_of_the_vote():
    edition = _voted_edition("vote")
    with pytest.raises(PermissionDenied):
        edition_export_pb(edition)
    edition.phases.filter(kind="vote").update(ends_at=timezone.now())
    assert parse(edition_export_pb(edition)).meta["num_votes"] == "4"


def test_the_export_is_anonymous_and_names_the_published_winners():
    edition = _voted_edition("results")
    a = edition.projects.order_by("number").first()
    ResultRunFactory(
        edition=edition, selected=[a.pk], is_published=True, published_at=timezone.now()
    )
    text = edition_export_pb(edition)
    pb = parse(text)
    assert "dupont" not in text
    assert sorted(row["voter_id"] for row in pb.votes) == ["1", "2", "3", "4"]
    assert list(pb.votes[0]) == ["voter_id", "vote"]
    assert {row["project_id"]: row["selected"] for row in pb.projects} == {
        str(a.number): "1",
        str(a.number + 1): "0",
        str(a.number + 2): "0",
    }
    assert [row["cost"] for row in pb.projects] == ["40000", "50000", "70000"]


def test_without_published_results_the_export_names_no_winner():
    edition = _voted_edition("results")
    ResultRunFactory(edition=edition, selected=[edition.projects.first().pk], is_published=False)
    assert "selected" not in parse(edition_export_pb(edition)).projects[0]
