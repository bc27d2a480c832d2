# SPDX-License-Identifier: AGPL-3.0-or-later
"""Our counting against pabutools, live, on random small profiles (hypothesis with a fixed
seed): greedy, MES, MES + greedy completion and pabutools' two MES completions.
The helpers that run pabutools on our elections serve the bench too."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pabutools.election import (
    Additive_Cardinal_Sat,
    ApprovalBallot,
    ApprovalProfile,
    CardinalBallot,
    Cardinality_Sat,
    CardinalProfile,
    Cost_Sat,
    Instance,
)
from pabutools.election import Project as PabuProject
from pabutools.rules import (
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

from carto_concertation.budgets.counting import (
    Ballot,
    Election,
    Project,
    build_profile,
    greedy,
    mes,
    mes_budget_increase,
    mes_increment,
)

SAT_CLASSES = {"cost": Cost_Sat, "cardinality": Cardinality_Sat, "points": Additive_Cardinal_Sat}


def to_pabutools(election: Election) -> tuple[Instance, object]:
    projects = {p.id: PabuProject(p.id, p.cost) for p in election.projects}
    instance = Instance(projects.values(), budget_limit=election.budget)
    if election.vote_type == "cumulative":
        profile = CardinalProfile(
            [
                CardinalBallot({projects[p]: s for p, s in zip(b.projects, b.points, strict=True)})
                for b in election.ballots
            ],
            instance=instance,
        )
    else:
        profile = ApprovalProfile(
            [ApprovalBallot(projects[p] for p in b.projects) for b in election.ballots],
            instance=instance,
        )
    return instance, profile


def names(allocation) -> list[str]:
    return sorted(p.name for p in allocation)


def pabu_greedy(election: Election, measure: str) -> list[str]:
    instance, profile = to_pabutools(election)
    return names(greedy_utilitarian_welfare(instance, profile, sat_class=SAT_CLASSES[measure]))


def pabu_mes(election: Election, measure: str, **options) -> list[str]:
    instance, profile = to_pabutools(election)
    return names(
        method_of_equal_shares(instance, profile, sat_class=SAT_CLASSES[measure], **options)
    )


def pabu_mes_greedy(election: Election, measure: str, **mes_options) -> list[str]:
    instance, profile = to_pabutools(election)
    sat = SAT_CLASSES[measure]
    return names(
        completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": sat, **mes_options}, {"sat_class": sat}],
        )
    )


SEEDED = settings(
    derandomize=True,
    max_examples=120,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@st.composite
def elections(draw, vote_type: str = "approval") -> Election:
    count = draw(st.integers(2, 7))
    # Ids of different lengths so that string order is not number order.
    ids = [
        str(n)
        for n in draw(st.lists(st.integers(1, 120), min_size=count, max_size=count, unique=True))
    ]
    projects = tuple(Project(pid, draw(st.integers(1, 30))) for pid in ids)
    ballots = []
    for _ in range(draw(st.integers(1, 14))):
        chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=count, unique=True))
        points = None
        if vote_type == "cumulative":
            points = tuple(draw(st.integers(1, 3)) for _ in chosen)
        ballots.append(Ballot(tuple(chosen), points))
    return Election(
        budget=draw(st.integers(5, 80)),
        projects=projects,
        ballots=tuple(ballots),
        vote_type=vote_type,
    )


@SEEDED
@given(election=elections(), measure=st.sampled_from(["cost", "cardinality"]))
def test_approval_rules_match_pabutools(election, measure):
    profile = build_profile(election, measure)
    assert sorted(greedy(profile)) == pabu_greedy(election, measure)
    assert sorted(mes(profile).selected) == pabu_mes(election, measure)
    assert sorted(greedy(profile, initial=mes(profile).selected)) == pabu_mes_greedy(
        election, measure
    )


@SEEDED
@given(election=elections("cumulative"))
def test_cumulative_rules_match_pabutools(election):
    profile = build_profile(election)
    assert profile.measure == "points"
    assert sorted(greedy(profile)) == pabu_greedy(election, "points")
    assert sorted(mes(profile).selected) == pabu_mes(election, "points")
    assert sorted(greedy(profile, initial=mes(profile).selected)) == pabu_mes_greedy(
        election, "points"
    )


@settings(SEEDED, max_examples=60)
@given(election=elections())
def test_pabutools_completions_match(election):
    """The variants kept for comparison: ``voter_budget_increment=1`` (first exhaustive
    outcome) and ``exhaustion_by_budget_increase`` (1 % steps of the budget)."""
    from pabutools.rules import exhaustion_by_budget_increase, method_of_equal_shares

    profile = build_profile(election, "cost")
    assert sorted(mes_increment(profile).selected) == pabu_mes(
        election, "cost", voter_budget_increment=1
    )
    instance, pabu_profile = to_pabutools(election)
    theirs = exhaustion_by_budget_increase(
        instance,
        pabu_profile,
        method_of_equal_shares,
        {"sat_class": SAT_CLASSES["cost"]},
    )
    assert sorted(mes_budget_increase(profile).selected) == sorted(p.name for p in theirs)
