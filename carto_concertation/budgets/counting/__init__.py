# SPDX-License-Identifier: AGPL-3.0-or-later
"""The counting rules, in exact arithmetic, on plain values (no Django): greedy, exact
knapsack and the Method of Equal Shares with its completions
(reference/participatory-budget.md). pabutools is their oracle in tests and the bench.

``count(election, rule=, satisfaction=, comparison=, progress=)`` is what the rest of the
module calls; ``rule`` is ``"greedy"``, ``"knapsack"`` or ``"equalshares"`` (Edition.Rule),
``satisfaction`` ``"cost"`` or ``"cardinality"`` for approval ballots (points and Borda
points otherwise), ``progress(percent)`` is called as the count goes.
"""

from collections.abc import Callable

from .election import Ballot, Election, Project
from .outcome import Outcome, ProjectExplanation

__all__ = ["Ballot", "Election", "Outcome", "Project", "ProjectExplanation", "count"]


def count(
    election: Election,
    *,
    rule: str = "greedy",
    satisfaction: str = "cost",
    comparison: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """The outcome of ``election`` under ``rule``. (Greedy by votes only for now: the
    other rules arrive with issue 19's counting work.)"""
    votes: dict[str, int] = {project.id: 0 for project in election.projects}
    for ballot in election.ballots:
        for index, project_id in enumerate(ballot.projects):
            votes[project_id] += ballot.points[index] if ballot.points else 1
    left = election.budget
    selected = []
    explanations = {}
    order = sorted(election.projects, key=lambda p: (-votes[p.id], p.id))
    for project in order:
        fits = votes[project.id] > 0 and project.cost <= left
        if fits:
            left -= project.cost
            selected.append(project.id)
        explanations[project.id] = ProjectExplanation(
            project=project.id,
            cost=project.cost,
            votes=votes[project.id],
            score=votes[project.id],
            selected=fits,
            reason="selected" if fits else ("no_votes" if not votes[project.id] else "no_room"),
            step=len(selected) if fits else None,
        )
    if progress:
        progress(100)
    return Outcome(
        selected=tuple(selected),
        total_cost=election.budget - left,
        explanations=explanations,
    )
