# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a count answers: the winners, and per project why it won or lost."""

from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class ProjectExplanation:
    """Why a project won or lost, for the results page.

    ``reason`` is a code the page words: ``"selected"``, ``"no_room"`` (did not fit in the
    money left when its turn came), ``"supporters_short"`` (MES: its supporters had too
    little left when the rule stopped, and the completion found no room for it), ``"no_votes"``, ``"knapsack_excluded"`` (not in the best set).
    """

    project: str
    cost: int
    votes: int  # ballots that chose it
    score: int  # points or Borda points where the ballot gives them, else votes
    selected: bool
    reason: str
    step: int | None = None  # the order in which the rule bought it (1 first)
    # MES: what its supporters had left in all when it was bought or when the rule
    # stopped, and what each paid per unit of satisfaction.
    supporters_money_left: Fraction | None = None
    price_per_satisfaction: Fraction | None = None
    # Which stage bought it: "rule", "add1", "greedy_completion", "comparison".
    stage: str = "rule"


@dataclass(frozen=True)
class Outcome:
    selected: tuple[str, ...]  # project ids, in the order they were bought
    total_cost: int
    explanations: dict[str, ProjectExplanation] = field(default_factory=dict)
    # MES with Add1: the voter's share the completion stopped at (euros, exact).
    voter_share: Fraction | None = None
