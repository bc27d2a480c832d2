# SPDX-License-Identifier: AGPL-3.0-or-later
"""``count()`` as the module calls it, and Add1 as the reference documents it (the last
outcome within the budget), where pabutools' increment variant stops earlier."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carto_concertation.budgets.counting import (
    Ballot,
    Election,
    Project,
    build_profile,
    count,
    mes_add1,
    mes_increment,
)
from carto_concertation.budgets.counting.mes import MesEngine
from tests.budgets.test_counting_oracle import SEEDED, elections, pabu_mes

# B = 20, two voters, so both completions start from the same share, 10. At 13 MES buys
# b and c: exhaustive (a, 16, no longer fits), where pabutools stops. From 16 on MES buys
# a and c (19, within the budget); at 29 it buys a and b (29): Add1 keeps a and c.
PAST_EXHAUSTION = Election(
    budget=20,
    projects=(Project("a", 16), Project("b", 13), Project("c", 3)),
    ballots=(Ballot(("a", "b")), Ballot(("c",))),
)


def _cost(election: Election, selected) -> int:
    costs = {p.id: p.cost for p in election.projects}
    return sum(costs[p] for p in selected)


def test_add1_keeps_the_last_outcome_within_budget_where_pabutools_stops_at_the_first_exhaustive():
    profile = build_profile(PAST_EXHAUSTION)
    assert pabu_mes(PAST_EXHAUSTION, "cost", voter_budget_increment=1) == ["b", "c"]
    assert sorted(mes_increment(profile).selected) == ["b", "c"]
    ours = mes_add1(profile)
    assert sorted(ours.selected) == ["a", "c"]
    assert ours.share == 28
    # The documented rule, step by step: every share from floor(B/n) to the one kept gives
    # an outcome within B, the next one exceeds B.
    engine = MesEngine(profile)
    for share in range(10, 29):
        assert _cost(PAST_EXHAUSTION, engine.run(Fraction(share)).selected) <= 20
    assert _cost(PAST_EXHAUSTION, engine.run(Fraction(29)).selected) > 20


def test_count_equalshares_explains_each_project():
    calls: list[int] = []
    outcome = count(PAST_EXHAUSTION, rule="equalshares", progress=calls.append)
    assert outcome.selected == ("a", "c")
    assert outcome.total_cost == 19
    assert outcome.voter_share == 28
    assert calls[-1] == 100 and all(0 <= percent <= 100 for percent in calls)
    assert len(calls) > 10  # one call per Add1 iteration kept
    a, b, c = (outcome.explanations[p] for p in "abc")
    assert (a.selected, a.step, a.stage, a.votes, a.score) == (True, 1, "add1", 1, 1)
    # The supporter of a had 28, paid 16: rho = 16 / 16 (cost satisfaction).
    assert a.supporters_money_left == 28 and a.price_per_satisfaction == 1
    assert c.step == 2 and c.price_per_satisfaction == 1
    assert b.selected is False and b.reason == "supporters_short"
    assert b.supporters_money_left == 12 < b.cost


def test_comparison_step_takes_greedy_when_more_voters_prefer_it():
    # Greedy buys a (ties by id); MES + Add1 buys c only. The first voter gets 10 from
    # greedy and 7 from MES, the second nothing from either: greedy is preferred.
    election = Election(
        budget=12,
        projects=(Project("a", 10), Project("b", 10), Project("c", 7)),
        ballots=(Ballot(("a", "c")), Ballot(("b",))),
    )
    assert count(election, rule="equalshares").selected == ("c",)
    compared = count(election, rule="equalshares", comparison=True)
    assert compared.selected == ("a",)
    assert compared.explanations["a"].stage == "comparison"
    assert compared.voter_share is None


def test_greedy_completion_spends_what_mes_leaves():
    # One voter wants x (cost 6), three want y (cost 5): MES + Add1 buys y, then x would
    # exceed the budget at every share; z (cost 3) is bought by greedy completion.
    election = Election(
        budget=9,
        projects=(Project("x", 6), Project("y", 5), Project("z", 3)),
        ballots=(Ballot(("x",)), Ballot(("y", "z")), Ballot(("y",)), Ballot(("y",))),
    )
    outcome = count(election, rule="equalshares")
    assert set(outcome.selected) == {"y", "z"}
    stages = {p: outcome.explanations[p].stage for p in outcome.selected}
    assert stages["y"] == "add1"
    assert outcome.total_cost == 8
    assert outcome.explanations["x"].reason == "supporters_short"
    assert outcome.explanations["x"].supporters_money_left < 6


def test_unvoted_projects_are_never_bought():
    election = Election(
        budget=100,
        projects=(Project("1", 10), Project("2", 20), Project("3", 5)),
        ballots=(Ballot(("1",)), Ballot(("1", "2"))),
    )
    for rule in ("greedy", "knapsack", "equalshares"):
        outcome = count(election, rule=rule)
        assert set(outcome.selected) == {"1", "2"}, rule
        assert outcome.explanations["3"].reason == "no_votes"
        assert outcome.explanations["1"].votes == 2


def test_knapsack_beats_greedy_where_greedy_wastes_money():
    election = Election(
        budget=10,
        projects=(Project("big", 6), Project("s1", 5), Project("s2", 5)),
        ballots=(Ballot(("big", "s1", "s2")), Ballot(("big",)), Ballot(("s1", "s2"))),
    )
    assert count(election, rule="greedy").selected == ("big",)
    knapsack = count(election, rule="knapsack")
    assert knapsack.selected == ("s1", "s2")
    assert knapsack.explanations["big"].reason == "knapsack_excluded"


def test_cumulative_and_ordinal_scores():
    cumulative = Election(
        budget=10,
        projects=(Project("p", 5), Project("q", 5), Project("r", 5)),
        ballots=(Ballot(("p", "q"), (3, 1)), Ballot(("q", "r"), (1, 2)), Ballot(("r",), (1,))),
        vote_type="cumulative",
    )
    outcome = count(cumulative, rule="greedy")
    # Points: p 3, q 2, r 3 (same costs): p and r, tied, p first by id.
    assert outcome.selected == ("p", "r")
    assert outcome.explanations["q"].votes == 2 and outcome.explanations["q"].score == 2
    ordinal = Election(
        budget=10,
        projects=(Project("p", 5), Project("q", 5), Project("r", 5)),
        ballots=(Ballot(("q", "p", "r")), Ballot(("q", "r", "p"))),
        vote_type="ordinal",
    )
    outcome = count(ordinal, rule="greedy")
    # Borda points: q 2 + 2, p 1 + 0, r 0 + 1; p and r tie, p first by id.
    assert outcome.selected == ("q", "p")
    assert outcome.explanations["q"].score == 4


@pytest.mark.parametrize(
    ("options", "field"),
    [({"rule": "lottery"}, "rule"), ({"satisfaction": "joy"}, "satisfaction")],
)
def test_bad_arguments_name_the_field(options, field):
    with pytest.raises(ValueError, match=rf"^{field}: "):
        count(PAST_EXHAUSTION, **options)


def test_ballot_for_an_unknown_project_is_refused():
    election = Election(budget=5, projects=(Project("a", 1),), ballots=(Ballot(("zz",)),))
    with pytest.raises(ValueError, match=r"^ballots: project 'zz'"):
        count(election)


def test_no_ballots_buys_nothing():
    election = Election(budget=5, projects=(Project("a", 1),), ballots=())
    for rule in ("greedy", "knapsack", "equalshares"):
        assert count(election, rule=rule).selected == ()


@settings(SEEDED, max_examples=400)
@given(
    election=st.one_of(elections(), elections("cumulative"), elections("ordinal")),
    # Shares with a denominator of 3: amounts not multiples of 2^-64.
    share=st.integers(1, 120).map(lambda n: Fraction(n, 3)),
)
def test_trial_runs_buy_what_the_explained_run_buys(election, share):
    """The completions' trial runs (``explain=False``: rhos bracketed by integer bounds
    where satisfactions differ) make exactly the purchases of the explained run."""
    engine = MesEngine(build_profile(election))
    trial, explained = engine.run(share, explain=False), engine.run(share)
    assert [(p.project, p.price_per_satisfaction) for p in trial.purchases] == [
        (p.project, p.price_per_satisfaction) for p in explained.purchases
    ]
