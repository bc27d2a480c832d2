# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Method of Equal Shares in exact arithmetic, and its completions: Add1 as the
reference documents it, pabutools' increment and budget-increase variants, and the
comparison step with greedy. The engine is engine.py (its docstring says how it is fast)."""

from collections.abc import Callable, Iterable
from fractions import Fraction

from ..profile import Profile
from .engine import MesEngine
from .runs import MesRun, Purchase

__all__ = [
    "MesEngine",
    "MesRun",
    "Purchase",
    "mes",
    "mes_add1",
    "mes_budget_increase",
    "mes_increment",
    "prefer_greedy",
]


def mes(profile: Profile, *, initial: Iterable[str] = ()) -> MesRun:
    """Plain MES: each voter starts with budget / voters (pabutools' default)."""
    if not profile.n_voters:
        return MesRun(share=Fraction(0))
    return MesEngine(profile, initial).run(Fraction(profile.budget, profile.n_voters))


def _cost(profile: Profile, projects: Iterable[str]) -> int:
    return sum(profile.costs[p] for p in projects)


def _exhaustive(profile: Profile, selected: list[str], among: Iterable[str]) -> bool:
    left = profile.budget - _cost(profile, selected)
    chosen = set(selected)
    return all(p in chosen or profile.costs[p] > left for p in among)


def mes_add1(profile: Profile, *, progress: Callable[[int], None] | None = None) -> MesRun:
    """MES with Add1 as the reference documents: shares floor(B/n), +1, +2, ... and keep
    the LAST outcome within the budget, stopping when the next one would exceed it (or
    when every supported project is bought: more money cannot change anything)."""
    if not profile.n_voters:
        return MesRun(share=Fraction(0))
    engine = MesEngine(profile)
    share = profile.budget // profile.n_voters
    current = engine.run(Fraction(share), explain=False)
    everything = len(engine.projects) + len(engine.free)
    while len(current.purchases) < everything:
        following = engine.run(Fraction(share + 1), explain=False)
        spent = _cost(profile, following.selected)
        if spent > profile.budget:
            break
        share += 1
        current = following
        if progress:
            progress(min(99, 100 * spent // max(profile.budget, 1)))
    return engine.run(Fraction(share))


def mes_increment(profile: Profile, *, increment: int = 1) -> MesRun:
    """pabutools' ``method_of_equal_shares(voter_budget_increment=...)``: from B/n, stop at
    the FIRST exhaustive outcome (or keep the previous one when the budget is exceeded)."""
    if not profile.n_voters:
        return MesRun(share=Fraction(0))
    engine = MesEngine(profile)
    share = Fraction(profile.budget, profile.n_voters)
    previous: Fraction | None = None
    while True:
        outcome = engine.run(share, explain=False)
        if _cost(profile, outcome.selected) > profile.budget:
            return MesRun(share=share) if previous is None else engine.run(previous)
        if _exhaustive(profile, outcome.selected, engine.projects):
            return engine.run(share)
        previous = share
        share += increment


def mes_budget_increase(profile: Profile, *, step: Fraction | None = None) -> MesRun:
    """pabutools' ``exhaustion_by_budget_increase`` around MES: the whole budget grows by
    ``step`` (1 % by default) until the outcome is exhaustive or no longer feasible."""
    if not profile.n_voters:
        return MesRun(share=Fraction(0))
    step = Fraction(profile.budget, 100) if step is None else step
    engine = MesEngine(profile)
    budget = Fraction(profile.budget)
    bound = profile.budget * (profile.n_voters + 1)
    previous: Fraction | None = None
    while budget <= bound:
        outcome = engine.run(budget / profile.n_voters, explain=False)
        if _cost(profile, outcome.selected) > profile.budget:
            break
        if _exhaustive(profile, outcome.selected, profile.costs):
            return engine.run(budget / profile.n_voters)
        previous = budget / profile.n_voters
        budget += step
    return MesRun(share=Fraction(0)) if previous is None else engine.run(previous)


def prefer_greedy(profile: Profile, mes_selected: list[str], greedy_selected: list[str]) -> bool:
    """The comparison step (Pabulib ``equalshares/add1-comparison``): greedy replaces the
    MES outcome when more voters get a greater satisfaction from greedy than from MES."""
    mes_set, greedy_set = set(mes_selected), set(greedy_selected)
    for_greedy = for_mes = 0
    for group in profile.groups:
        mes_sat = sum(s for p, s in group.sats.items() if p in mes_set)
        greedy_sat = sum(s for p, s in group.sats.items() if p in greedy_set)
        if greedy_sat > mes_sat:
            for_greedy += group.weight
        elif mes_sat > greedy_sat:
            for_mes += group.weight
    return for_greedy > for_mes
