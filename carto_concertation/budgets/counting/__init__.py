# SPDX-License-Identifier: AGPL-3.0-or-later
"""The counting rules, in exact arithmetic, on plain values (no Django): greedy, exact
knapsack and the Method of Equal Shares with its completions
(reference/participatory-budget.md). pabutools is their oracle in tests and the bench.

``count(election, rule=, satisfaction=, comparison=, progress=)`` is what the rest of the
module calls; ``rule`` is ``"greedy"``, ``"knapsack"`` or ``"equalshares"`` (Edition.Rule),
``satisfaction`` ``"cost"`` or ``"cardinality"`` for approval ballots (points and Borda
points otherwise), ``progress(percent)`` is called as the count goes.

The plain variants (``greedy``, ``knapsack``, ``mes``, ``mes_add1``, ``mes_increment``,
``mes_budget_increase``) work on a ``Profile`` (``build_profile(election)``) and follow
pabutools to the project, so that tests compare them with its outcomes.
"""

from collections.abc import Callable
from fractions import Fraction

from .election import Ballot, Election, Project
from .greedy import greedy, knapsack
from .mes import MesRun, mes, mes_add1, mes_budget_increase, mes_increment, prefer_greedy
from .outcome import Outcome, ProjectExplanation
from .profile import Profile, build_profile, default_measure

__all__ = [
    "Ballot",
    "Election",
    "Outcome",
    "Profile",
    "Project",
    "ProjectExplanation",
    "build_profile",
    "count",
    "greedy",
    "knapsack",
    "mes",
    "mes_add1",
    "mes_budget_increase",
    "mes_increment",
]

RULES = ("greedy", "knapsack", "equalshares")


def count(
    election: Election,
    *,
    rule: str = "greedy",
    satisfaction: str = "cost",
    comparison: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """The outcome of ``election`` under ``rule``; ``ValueError`` names a bad argument.

    A project nobody chose is never bought (pabutools would buy it last if it fits: a
    city would not). ``equalshares`` is MES with Add1 completion, then, if ``comparison``,
    the comparison with greedy, then greedy for the money left.
    """
    if rule not in RULES:
        raise ValueError(f"rule: {rule!r} is not one of {', '.join(RULES)}")
    profile = build_profile(election, default_measure(election, satisfaction))
    stages: dict[str, str] = {}
    run: MesRun | None = None
    if rule == "greedy":
        selected = greedy(profile, supported_only=True)
    elif rule == "knapsack":
        selected = knapsack(profile, supported_only=True)
    else:
        run = mes_add1(profile, progress=progress)
        selected = run.selected
        stages = dict.fromkeys(selected, "add1")
        for purchase in run.purchases:
            if purchase.price_per_satisfaction == 0:
                stages[purchase.project] = "rule"
        if comparison:
            by_greedy = greedy(profile, supported_only=True)
            if prefer_greedy(profile, selected, by_greedy):
                selected, stages, run = by_greedy, dict.fromkeys(by_greedy, "comparison"), None
        completed = greedy(profile, initial=selected, supported_only=True)
        for project in completed[len(selected) :]:
            stages[project] = "greedy_completion"
        selected = completed
    if progress:
        progress(100)
    return _outcome(profile, rule, selected, stages, run)


def _outcome(
    profile: Profile,
    rule: str,
    selected: list[str],
    stages: dict[str, str],
    run: MesRun | None,
) -> Outcome:
    votes, scores = profile.votes(), profile.scores()
    steps = {project: index for index, project in enumerate(selected, start=1)}
    purchases = {p.project: p for p in run.purchases} if run else {}
    spent = sum(profile.costs[p] for p in selected)
    explanations = {}
    for project, cost in profile.costs.items():
        bought = project in steps
        purchase = purchases.get(project)
        if bought:
            reason = "selected"
        elif not votes[project] or not scores[project]:
            reason = "no_votes"
        elif rule == "knapsack":
            reason = "knapsack_excluded"
        elif run and project in run.money_left:
            # MES stops when no project is affordable: its supporters had too little left
            # (supporters_money_left < cost), and greedy completion found no room for it.
            reason = "supporters_short"
        else:
            reason = "no_room"
        money_left: Fraction | None = None
        if purchase:
            money_left = purchase.supporters_money_left
        elif run and project in run.money_left:
            money_left = run.money_left[project]
        explanations[project] = ProjectExplanation(
            project=project,
            cost=cost,
            votes=votes[project],
            score=scores[project],
            selected=bought,
            reason=reason,
            step=steps.get(project),
            supporters_money_left=money_left,
            price_per_satisfaction=purchase.price_per_satisfaction if purchase else None,
            stage=stages.get(project, "rule"),
        )
    return Outcome(
        selected=tuple(selected),
        total_cost=spent,
        explanations=explanations,
        voter_share=run.share if run else None,
    )
