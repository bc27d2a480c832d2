# SPDX-License-Identifier: AGPL-3.0-or-later
"""The counting rules, in exact arithmetic, on plain values (no Django): greedy, exact
knapsack and the Method of Equal Shares with its completions
(reference/participatory-budget.md). pabutools is their oracle in tests and the bench."""

from .election import Ballot, Election, Project

__all__ = ["Ballot", "Election", "Project"]
