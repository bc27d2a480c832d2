# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every real election of the team's data × every rule pabutools computed for it
(/work/shared/data/participatory-budget/expected_pabutools): exactly its ``selected``.

Sequential Phragmén, also in those files, is not one of our rules and is not compared.
"""

import json
from pathlib import Path

import pytest

from carto_concertation.budgets.counting import (
    build_profile,
    count,
    greedy,
    knapsack,
    mes,
    mes_budget_increase,
)
from carto_concertation.budgets.pabulib import parse

DATA = Path("/work/shared/data/participatory-budget")


def _rule(name: str):
    if name.startswith("greedy"):
        return lambda profile: greedy(profile)
    if name.startswith("max_additive_utilitarian_welfare"):
        return lambda profile: knapsack(profile)
    if "exhaustion_by_budget_increase" in name:
        return lambda profile: greedy(profile, initial=mes_budget_increase(profile).selected)
    if "+ completion by greedy" in name:
        return lambda profile: greedy(profile, initial=mes(profile).selected)
    if name.startswith("mes_"):
        return lambda profile: mes(profile).selected
    return None


CASES = [
    pytest.param(path, name, result["selected"], id=f"{path.stem.split('.')[0]}-{name[:40]}")
    for path in sorted((DATA / "expected_pabutools").glob("*.expected.json"))
    for name, result in json.loads(path.read_text())["results"].items()
    if _rule(name) is not None
]


def _election(expected: Path):
    file_name = json.loads(expected.read_text())["file"]
    return parse((DATA / "pabulib" / file_name).read_text(encoding="utf-8")).election()


def test_every_file_and_rule_is_compared():
    # 5 files: 4 rules for each cumulative one, 2 for the ordinal one, 8 for each approval.
    assert len(CASES) == 4 + 4 + 2 + 8 + 8


@pytest.mark.parametrize(("expected", "rule", "selected"), CASES)
def test_rule_gives_pabutools_outcome(expected, rule, selected):
    election = _election(expected)
    measure = "cardinality" if "cardinality_sat" in rule else "cost"
    profile = build_profile(election, measure if election.vote_type == "approval" else None)
    assert sorted(_rule(rule)(profile)) == sorted(selected)


@pytest.mark.parametrize("name", ["poland_warszawa_2017_anin", "poland_katowice_2021_zarzecze"])
def test_count_greedy_and_knapsack_match_when_no_unvoted_project_fits(name):
    """``count()`` leaves out projects nobody chose; on these files none would fit anyway,
    so it gives pabutools' outcome, in greedy's buying order."""
    expected = DATA / "expected_pabutools" / f"{name}.expected.json"
    results = json.loads(expected.read_text())["results"]
    election = _election(expected)
    by_greedy = next(r for n, r in results.items() if n.startswith("greedy"))
    by_knapsack = next(r for n, r in results.items() if n.startswith("max_additive"))
    outcome = count(election, rule="greedy")
    assert sorted(outcome.selected) == sorted(by_greedy["selected"])
    assert outcome.total_cost == by_greedy["total_cost"]
    assert sorted(count(election, rule="knapsack").selected) == sorted(by_knapsack["selected"])
    votes = [outcome.explanations[p].votes for p in outcome.selected]
    if election.vote_type == "approval":
        assert votes == sorted(votes, reverse=True)  # greedy buys by votes
