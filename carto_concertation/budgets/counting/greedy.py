# SPDX-License-Identifier: AGPL-3.0-or-later
"""Greedy by satisfaction per euro (pabutools' ``greedy_utilitarian_welfare`` for additive
satisfactions, lexicographic tie-breaking on the project id), and the exact knapsack."""

from collections.abc import Iterable
from fractions import Fraction

from .profile import Profile


def _totals(profile: Profile) -> dict[str, int]:
    totals = dict.fromkeys(profile.costs, 0)
    for group in profile.groups:
        for project, sat in group.sats.items():
            totals[project] += group.weight * sat
    return totals


def greedy_order(profile: Profile, *, supported_only: bool = False) -> list[str]:
    """Projects by decreasing satisfaction per euro, ties by id (a free project first, as
    pabutools counts its density infinite)."""
    totals = _totals(profile)

    def density(project: str) -> tuple[int, Fraction]:
        cost = profile.costs[project]
        if totals[project] > 0 and cost == 0:
            return (0, Fraction(0))
        return (1, -Fraction(totals[project], cost) if cost else Fraction(0))

    order = sorted(sorted(profile.costs), key=density)
    if supported_only:
        order = [p for p in order if totals[p] > 0]
    return order


def greedy(
    profile: Profile,
    *,
    initial: Iterable[str] = (),
    supported_only: bool = False,
) -> list[str]:
    """The projects bought, in order, after ``initial`` (a completion when it is not empty):
    each project in greedy order is taken if it still fits, else skipped."""
    selected = list(initial)
    left = profile.budget - sum(profile.costs[p] for p in selected)
    taken = set(selected)
    for project in greedy_order(profile, supported_only=supported_only):
        if project not in taken and profile.costs[project] <= left:
            selected.append(project)
            taken.add(project)
            left -= profile.costs[project]
    return selected


def knapsack(profile: Profile, *, supported_only: bool = False) -> list[str]:
    """A set of greatest total satisfaction within the budget (exact: dynamic programming
    over the Pareto front of (cost, satisfaction), no solver). Among equal satisfactions the
    cheaper set wins, then the one whose sorted ids come first, so the answer is stable."""
    totals = _totals(profile)
    projects = sorted(p for p in profile.costs if not supported_only or totals[p] > 0)
    # Front: cost -> (satisfaction, ids), kept only when no cheaper set does as well.
    front: dict[int, tuple[int, tuple[str, ...]]] = {0: (0, ())}
    for project in projects:
        cost, value = profile.costs[project], totals[project]
        candidates = dict(front)
        for spent, (sat, ids) in front.items():
            new_cost = spent + cost
            if new_cost > profile.budget:
                continue
            new = (sat + value, tuple(sorted((*ids, project))))
            old = candidates.get(new_cost)
            if old is None or (-new[0], new[1]) < (-old[0], old[1]):
                candidates[new_cost] = new
        front = {}
        best = -1
        for spent in sorted(candidates):
            sat, ids = candidates[spent]
            if sat > best:  # dominated otherwise: a cheaper set gives at least as much
                front[spent] = (sat, ids)
                best = sat
    best_cost = max(front, key=lambda spent: (front[spent][0], -spent))
    return list(front[best_cost][1])
