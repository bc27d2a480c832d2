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

from gmpy2 import mpq

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


def _fraction(value: mpq) -> Fraction:
    return Fraction(int(value.numerator), int(value.denominator))


class MesEngine:
    """The profile prepared once; ``run(share)`` computes MES for one initial share (the
    completions call it many times).

    Inside a run everything is integers and gmpy2 rationals (``mpq``, exact like
    ``Fraction``, in C): projects are numbered in id order (so that comparing numbers is
    the lexicographic tie-breaking), and a project's count of supporters is keyed by
    ``class x (its distinct satisfactions) + satisfaction index``, a plain int.
    """

    def __init__(self, profile: Profile, initial: Iterable[str] = ()) -> None:
        self.profile = profile
        self.initial = list(initial)
        done = set(self.initial)
        totals = dict.fromkeys(profile.costs, 0)
        for group in profile.groups:
            for project, sat in group.sats.items():
                totals[project] += group.weight * sat
        # A free project someone wants is bought before anything else, as in pabutools.
        self.free = sorted(
            p for p, c in profile.costs.items() if c == 0 and totals[p] > 0 and p not in done
        )
        self.projects = sorted(
            p for p, c in profile.costs.items() if c > 0 and totals[p] > 0 and p not in done
        )
        number = {p: i for i, p in enumerate(self.projects)}
        self.costs = [profile.costs[p] for p in self.projects]
        # Per project: its distinct satisfactions, and the index of each.
        sat_values: list[list[int]] = [[] for _ in self.projects]
        sat_index: list[dict[int, int]] = [{} for _ in self.projects]
        self.weights = [group.weight for group in profile.groups]
        # Per group: (project number, satisfaction index); per project: (group, sat index).
        self.items: list[list[tuple[int, int]]] = []
        self.supporters: list[list[tuple[int, int]]] = [[] for _ in self.projects]
        for g, group in enumerate(profile.groups):
            entries = []
            for project, sat in group.sats.items():
                i = number.get(project)
                if i is None:
                    continue
                s = sat_index[i].get(sat)
                if s is None:
                    s = sat_index[i][sat] = len(sat_values[i])
                    sat_values[i].append(sat)
                entries.append((i, s))
                self.supporters[i].append((g, s))
            self.items.append(entries)
        self.sat_values = sat_values
        self.n_sats = [len(values) for values in sat_values]
        # A lower bound of each project's rho (it only grows as money is spent).
        self.initial_rho = [mpq(self.costs[i], totals[p]) for i, p in enumerate(self.projects)]
        # Per project: key -> weight, everyone in class 0 at the start (key = sat index).
        self.initial_agg: list[dict[int, int]] = []
        for i in range(len(self.projects)):
            agg: dict[int, int] = {}
            for g, s in self.supporters[i]:
                agg[s] = agg.get(s, 0) + self.weights[g]
            self.initial_agg.append(agg)

    def run(self, share: Fraction | int, *, explain: bool = True) -> MesRun:
        """MES from ``share`` each; ``explain=False`` skips what only the explanations
        read (the supporters' money), for the completions' many trial runs."""
        share = Fraction(share)
        budgets: list[mpq] = [mpq(share.numerator, share.denominator)]
        zero = [not budgets[0]]  # per class: out of money
        voter_class = [0] * len(self.weights)
        agg = [dict(a) for a in self.initial_agg]
        lower = list(self.initial_rho)
        alive = [True] * len(self.projects)
        bought = [False] * len(self.projects)
        order = list(range(len(self.projects)))
        result = MesRun(share=share)
        for project in self.free:
            result.purchases.append(
                Purchase(project, len(result.purchases) + 1, Fraction(0), Fraction(0))
            )
        while order:
            best = -1
            best_rho: mpq | None = None
            order.sort(key=lambda i: (lower[i], i))
            dead = False
            for i in order:
                if best_rho is not None and lower[i] > best_rho:
                    break
                rho = self._rho(i, agg[i], budgets)
                if rho is None:
                    alive[i] = False  # money only shrinks: never affordable again
                    dead = True
                    continue
                lower[i] = rho
                if best_rho is None or rho < best_rho or (rho == best_rho and i < best):
                    best, best_rho = i, rho
            if best_rho is None:
                break
            alive[best], bought[best] = False, True
            counts = agg[best]
            agg[best] = {}
            order = [i for i in order if alive[i]] if dead else [i for i in order if i != best]
            n_sats = self.n_sats[best]
            result.purchases.append(
                Purchase(
                    self.projects[best],
                    len(result.purchases) + 1,
                    _fraction(best_rho),
                    _fraction(sum((budgets[k // n_sats] * w for k, w in counts.items()), mpq(0)))
                    if explain
                    else Fraction(0),
                )
            )
            self._pay(best, best_rho, budgets, zero, voter_class, agg, alive)
        if explain:
            for i, project in enumerate(self.projects):
                if not bought[i]:
                    n_sats = self.n_sats[i]
                    result.money_left[project] = _fraction(
                        sum((budgets[k // n_sats] * w for k, w in agg[i].items()), mpq(0))
                    )
        return result

    def _rho(self, i: int, items: dict[int, int], budgets: list[mpq]) -> mpq | None:
        """The smallest rho such that sum(min(money, rho x sat)) = cost, the poorest
        paying all they have first; None when the supporters' money is short of the cost."""
        cost = self.costs[i]
        values = self.sat_values[i]
        if len(values) == 1:
            # One satisfaction for all (approval): compare payments, not money / sat.
            remaining = mpq(cost)
            count = sum(items.values())
            for money, w in sorted([(budgets[c], w) for c, w in items.items()]):
                # The payment remaining / count is within the poorest one's money.
                if remaining <= money * count:
                    return remaining / (count * values[0])
                remaining -= money * w
                count -= w
            return None
        n_sats = len(values)
        entries = sorted(
            (budgets[c] / values[s], values[s], budgets[c], w)
            for (c, s), w in ((divmod(k, n_sats), w) for k, w in items.items())
        )
        remaining = mpq(cost)
        denominator = sum(sat * w for _, sat, _, w in entries)
        for ratio, sat, money, w in entries:
            if remaining <= ratio * denominator:
                return remaining / denominator
            remaining -= money * w
            denominator -= sat * w
        return None

    def _pay(
        self,
        bought: int,
        rho: mpq,
        budgets: list[mpq],
        zero: list[bool],
        voter_class: list[int],
        agg: list[dict[int, int]],
        alive: list[bool],
    ) -> None:
        moves: dict[tuple[int, int], int] = {}
        values = self.sat_values[bought]
        n_sats = self.n_sats
        weights = self.weights
        items = self.items
        for g, s in self.supporters[bought]:
            old = voter_class[g]
            if zero[old]:
                continue  # out of money already, and out of every project's count
            new = moves.get((old, s))
            if new is None:
                money = budgets[old]
                payment = rho * values[s]
                left = money - payment if payment < money else mpq(0)
                new = len(budgets)
                budgets.append(left)
                zero.append(not left)
                moves[(old, s)] = new
            voter_class[g] = new
            weight = weights[g]
            stays = not zero[new]
            for i, si in items[g]:
                if not alive[i]:
                    continue
                counts = agg[i]
                n = n_sats[i]
                key = old * n + si
                remaining = counts[key] - weight
                if remaining:
                    counts[key] = remaining
                else:
                    del counts[key]
                # A voter with nothing left never pays again: leaving them out changes
                # no rho (they would be the first "poor" ones, paying 0).
                if stays:
                    key = new * n + si
                    counts[key] = counts.get(key, 0) + weight


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
