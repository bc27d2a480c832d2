# SPDX-License-Identifier: AGPL-3.0-or-later
"""An election decided by MES in a real city, imported from its .pb file, gives its
official winners: Wieliczka 2023, Green Budget, ``rule;equalshares/add1``
(tests/data/budgets/README.md says where the file comes from)."""

from pathlib import Path

import pytest

from carto_concertation.budgets.counting import build_profile, count, greedy, mes_increment
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
    # pabutools' increment completion stops at its first exhaustive outcome: not the
    # official one (it funds 46, 66 and 67 instead of other projects).
    profile = build_profile(election)
    theirs = greedy(profile, initial=mes_increment(profile).selected)
    assert sorted(theirs) != official
    assert {"46", "66", "67"} <= set(theirs) ^ set(official)
