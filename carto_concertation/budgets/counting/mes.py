# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Method of Equal Shares in exact arithmetic (equalshares.net, pabutools' resolute
``method_of_equal_shares`` with lexicographic ties).

Voters are tracked by *budget class*: every voter with the same money left is in one
class, and a project only sees, per class and satisfaction, how many of its supporters
are there. Buying a project moves its supporters to new classes; nothing else is per
voter. This is what makes 100,000 ballots cheap, since after a few purchases there are
only a few hundred distinct amounts of money left.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from .profile import Profile


@dataclass
class Purchase:
    project: str
    step: int
    price_per_satisfaction: Fraction  # rho: each supporter pays min(money, rho x sat)
    supporters_money_left: Fraction  # what its supporters had, in all, before paying


@dataclass
class MesRun:
    share: Fraction  # each voter's initial money
    purchases: list[Purchase] = field(default_factory=list)
    # Unbought projects: what their supporters had left, in all, when the rule stopped.
    money_left: dict[str, Fraction] = field(default_factory=dict)

    @property
    def selected(self) -> list[str]:
        return [purchase.project for purchase in self.purchases]


class MesEngine:
    """The profile prepared once; ``run(share)`` computes MES for one initial share (the
    completions call it many times)."""

    def __init__(self, profile: Profile, initial: Iterable[str] = ()) -> None:
        self.profile = profile
        self.initial = list(initial)
        done = set(self.initial)
        self.weights = [group.weight for group in profile.groups]
        self.sats = [group.sats for group in profile.groups]
        totals = dict.fromkeys(profile.costs, 0)
        supporters: dict[str, list[int]] = {p: [] for p in profile.costs}
        for index, group in enumerate(profile.groups):
            for project, sat in group.sats.items():
                totals[project] += group.weight * sat
                supporters[project].append(index)
        # A free project someone wants is bought before anything else, as in pabutools.
        self.free = sorted(
            p for p, c in profile.costs.items() if c == 0 and totals[p] > 0 and p not in done
        )
        self.projects = sorted(
            p for p, c in profile.costs.items() if c > 0 and totals[p] > 0 and p not in done
        )
        self.supporters = {p: supporters[p] for p in self.projects}
        # A lower bound of each project's rho (it only grows as money is spent).
        self.initial_rho = {p: Fraction(profile.costs[p], totals[p]) for p in self.projects}
        # Per project: (class, satisfaction) -> weight, all in class 0 at the start.
        self.initial_agg: dict[str, dict[tuple[int, int], int]] = {}
        for project in self.projects:
            agg: dict[tuple[int, int], int] = {}
            for index in self.supporters[project]:
                key = (0, self.sats[index][project])
                agg[key] = agg.get(key, 0) + self.weights[index]
            self.initial_agg[project] = agg

    def run(self, share: Fraction, *, explain: bool = True) -> MesRun:
        """MES from ``share`` each; ``explain=False`` skips what only the explanations
        read (the supporters' money), for the completions' many trial runs."""
        costs = self.profile.costs
        budgets: list[Fraction] = [Fraction(share)]
        voter_class = [0] * len(self.weights)
        agg = {p: dict(a) for p, a in self.initial_agg.items()}
        lower = dict(self.initial_rho)
        alive = set(self.projects)
        result = MesRun(share=Fraction(share))
        for project in self.free:
            result.purchases.append(
                Purchase(project, len(result.purchases) + 1, Fraction(0), Fraction(0))
            )
        while alive:
            best: str | None = None
            best_rho: Fraction | None = None
            for project in sorted(alive, key=lambda p: (lower[p], p)):
                if best_rho is not None and lower[project] > best_rho:
                    break
                rho = _rho(costs[project], agg[project], budgets)
                if rho is None:
                    alive.discard(project)  # money only shrinks: never affordable again
                    continue
                lower[project] = rho
                if best_rho is None or rho < best_rho or (rho == best_rho and project < best):
                    best, best_rho = project, rho
            if best is None or best_rho is None:
                break
            alive.discard(best)
            items = agg.pop(best)
            result.purchases.append(
                Purchase(
                    best,
                    len(result.purchases) + 1,
                    best_rho,
                    sum((budgets[c] * w for (c, _), w in items.items()), Fraction(0))
                    if explain
                    else Fraction(0),
                )
            )
            self._pay(best, best_rho, budgets, voter_class, agg, alive)
        for project in self.projects if explain else ():
            if project in agg:
                result.money_left[project] = sum(
                    (budgets[c] * w for (c, _), w in agg[project].items()), Fraction(0)
                )
        return result

    def _pay(
        self,
        bought: str,
        rho: Fraction,
        budgets: list[Fraction],
        voter_class: list[int],
        agg: dict[str, dict[tuple[int, int], int]],
        alive: set[str],
    ) -> None:
        moves: dict[tuple[int, int], int] = {}
        zeros: set[int] = set()
        for index in self.supporters[bought]:
            old = voter_class[index]
            if not budgets[old]:
                continue  # out of money already, and out of every project's count
            sat = self.sats[index][bought]
            new = moves.get((old, sat))
            if new is None:
                money = budgets[old]
                left = money - min(money, rho * sat)
                new = len(budgets)
                budgets.append(left)
                moves[(old, sat)] = new
                if not left:
                    zeros.add(new)
            voter_class[index] = new
            weight = self.weights[index]
            zero = new in zeros
            for project, psat in self.sats[index].items():
                if project not in alive:
                    continue
                counts = agg[project]
                key = (old, psat)
                remaining = counts[key] - weight
                if remaining:
                    counts[key] = remaining
                else:
                    del counts[key]
                # A voter with nothing left never pays again: leaving them out changes
                # no rho (they would be the first "poor" ones, paying 0).
                if not zero:
                    key = (new, psat)
                    counts[key] = counts.get(key, 0) + weight


def _rho(cost: int, items: dict[tuple[int, int], int], budgets: list[Fraction]) -> Fraction | None:
    """The smallest rho such that sum(min(money, rho x sat)) = cost, the poorest paying
    all they have first; None when the supporters' money is short of the cost."""
    sats = {sat for _, sat in items}
    if len(sats) == 1:
        # One satisfaction for all (approval): compare payments, not money / sat.
        (sat,) = sats
        remaining: Fraction | int = cost
        count = sum(items.values())
        for c, w in sorted(((c, w) for (c, _), w in items.items()), key=lambda e: budgets[e[0]]):
            payment = Fraction(remaining, count)
            if payment <= budgets[c]:
                return payment / sat
            remaining -= budgets[c] * w
            count -= w
        return None
    entries = sorted(
        ((budgets[c] / sat, c, sat, w) for (c, sat), w in items.items()),
        key=lambda e: e[0],
    )
    remaining = cost
    denominator = sum(sat * w for _, _, sat, w in entries)
    for ratio, c, sat, w in entries:
        rho = Fraction(remaining, denominator)
        if rho <= ratio:
            return rho
        remaining -= budgets[c] * w
        denominator -= sat * w
    return None


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
    previous = MesRun(share=share)
    while True:
        outcome = engine.run(share)
        if _cost(profile, outcome.selected) > profile.budget:
            return previous
        if _exhaustive(profile, outcome.selected, engine.projects):
            return outcome
        share += increment
        previous = outcome


def mes_budget_increase(profile: Profile, *, step: Fraction | None = None) -> MesRun:
    """pabutools' ``exhaustion_by_budget_increase`` around MES: the whole budget grows by
    ``step`` (1 % by default) until the outcome is exhaustive or no longer feasible."""
    if not profile.n_voters:
        return MesRun(share=Fraction(0))
    step = Fraction(profile.budget, 100) if step is None else step
    engine = MesEngine(profile)
    budget = Fraction(profile.budget)
    bound = profile.budget * (profile.n_voters + 1)
    previous = MesRun(share=Fraction(0))
    while budget <= bound:
        outcome = engine.run(budget / profile.n_voters)
        if _cost(profile, outcome.selected) > profile.budget:
            return previous
        if _exhaustive(profile, outcome.selected, profile.costs):
            return outcome
        budget += step
        previous = outcome
    return previous


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
