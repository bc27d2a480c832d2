# SPDX-License-Identifier: AGPL-3.0-or-later
"""An election decided by MES in a real city, imported from its .pb file, gives its
official winners: Wieliczka 2023, Green Budget, ``rule;equalshares/add1``
(tests/data/budgets/README.md says where the file comes from)."""

from pathlib import Path

import pytest

from carto_concertation.budgets.counting import count
from carto_concertation.budgets.pabulib import parse

WIELICZKA = (
    Path(__file__).resolve().parent.parent / "data/budgets/poland_wieliczka_2023_green-budget.pb"
)


@pytest.fixture(scope="module")
def wieliczka():
    return parse(WIELICZKA.read_text(encoding="utf-8"))


def test_wieliczka_green_budget_gives_its_official_winners(wieliczka):
    assert wieliczka.meta["rule"] == "equalshares/add1"
    official = sorted(row["project_id"] for row in wieliczka.projects if row["selected"] == "1")
    assert len(official) == 30
    election = wieliczka.election()
    outcome = count(election, rule="equalshares")
    assert sorted(outcome.selected) == official
    assert outcome.total_cost <= election.budget == 1_000_000
    # Add1 raised each voter's share from floor(1,000,000 / 6,586) = 151 to 315.
    assert outcome.voter_share == 315
    explained = outcome.explanations
    assert all(explained[p].stage in {"add1", "greedy_completion"} for p in official)
    assert all(explained[p].reason != "selected" for p in explained if p not in official)
    # (pabutools' increment completion, which stops at its first exhaustive outcome, funds
    # 46, 66 and 67 instead: measured once, not re-run here for time; the rule difference
    # itself is tested on a small case in test_counting_rules.py.)
