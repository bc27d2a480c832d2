# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Method of Equal Shares in exact arithmetic (equalshares.net, pabutools' resolute
``method_of_equal_shares`` with lexicographic ties).

Voters are tracked by *budget class*: every group of identical ballots whose voters have
the same money left is in one class, and a project only sees, per class and satisfaction,
how many of its supporters are there. Buying a project moves its supporters' groups to
new classes; nothing is per voter. The completions run MES about a hundred times on
100,000 ballots, so each run is made cheap too: money in gmpy2 rationals, supporters
counted per class with numpy, the water level guessed in floats and found exactly, and,
for approval ballots, the poorest supporters' money summed per payment made rather than
per class (``MesEngine``). Every choice is the one exact arithmetic gives: floats only
guess where to look, and rationals check it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from operator import mul
from typing import NamedTuple

import numpy as np
from gmpy2 import mpq, mpz

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

    Inside a run, money is in gmpy2 rationals (``mpq``: exact like ``Fraction``, in C) and
    everything else in integers: projects are numbered in id order (so that comparing
    numbers is the lexicographic tie-breaking), each group of identical ballots has a
    *class*, the amount of money each of its voters has left (class 0: nothing; equal
    amounts, one class), and a project's supporters are counted per class only when its
    rho is needed, with numpy over its supporters' groups (integer weights: exact).
    Buying a project moves each of its supporters' classes to the class of what they have
    left: no per-voter work.

    A rho is a water level: the poorest supporters pay all they have, the others the same
    payment. Floats guess how many are poorest; exact rationals check the guess and walk
    from it (``_walk``). With one satisfaction per project (approval), every bought
    project has one payment, so a class's money is the share less the payments it made:
    the poorest classes' money is summed per payment (at most one per purchase), from a
    class x purchase table, instead of per class. Otherwise (points, Borda) the trial
    runs of the completions bracket each rho between two integer water levels (money
    rounded to 2^-64) and compute exactly only the rhos that can be the least.
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
        # Per project: its distinct satisfactions, and per supporting group the index of
        # its satisfaction among them.
        self.sat_values: list[list[int]] = [[] for _ in self.projects]
        sat_index: list[dict[int, int]] = [{} for _ in self.projects]
        groups: list[list[int]] = [[] for _ in self.projects]
        indices: list[list[int]] = [[] for _ in self.projects]
        for g, group in enumerate(profile.groups):
            for project, sat in group.sats.items():
                i = number.get(project)
                if i is None:
                    continue
                s = sat_index[i].get(sat)
                if s is None:
                    s = sat_index[i][sat] = len(self.sat_values[i])
                    self.sat_values[i].append(sat)
                groups[i].append(g)
                indices[i].append(s)
        self.n_groups = len(profile.groups)
        weights = np.array([group.weight for group in profile.groups], dtype=np.int64)
        self.groups = [np.array(g, dtype=np.intp) for g in groups]
        self.indices = [np.array(s, dtype=np.int64) for s in indices]
        self.weights = [weights[g] for g in self.groups]
        self.float_weights = [w.astype(np.float64) for w in self.weights]
        self.uniform = all(len(values) == 1 for values in self.sat_values)
        # A lower bound of each project's rho (it only grows as money is spent).
        self.initial_rho = [mpq(self.costs[i], totals[p]) for i, p in enumerate(self.projects)]

    def run(self, share: Fraction | int, *, explain: bool = True) -> MesRun:
        """MES from ``share`` each; ``explain=False`` skips what only the explanations
        read (the supporters' money), for the completions' many trial runs."""
        share = Fraction(share)
        money = mpq(share.numerator, share.denominator)
        state = _State(money, len(self.projects) if self.uniform else None)
        voter_class = np.full(self.n_groups, 1 if money else 0, dtype=np.intp)
        lower = list(self.initial_rho)
        alive = [True] * len(self.projects)
        order = list(range(len(self.projects)))
        result = MesRun(share=share)
        for project in self.free:
            result.purchases.append(
                Purchase(project, len(result.purchases) + 1, Fraction(0), Fraction(0))
            )
        while order:
            order.sort(key=lambda i: (lower[i], i))
            select = self._select if explain or self.uniform else self._select_bounded
            best, best_rho, best_counts = select(
                order, lower, alive, voter_class, state, result if explain else None
            )
            if best_rho is None or best_counts is None:
                break
            alive[best] = False
            order = [i for i in order if alive[i]]
            result.purchases.append(
                Purchase(
                    self.projects[best],
                    len(result.purchases) + 1,
                    _fraction(best_rho),
                    _money(best_counts, state) if explain else Fraction(0),
                )
            )
            self._pay(best, best_rho, voter_class, state)
        return result

    def _select(
        self,
        order: list[int],
        lower: list[mpq],
        alive: list[bool],
        voter_class: np.ndarray,
        state: "_State",
        result: MesRun | None,
    ) -> tuple[int, mpq | None, "_Counts | None"]:
        """The project to buy (least rho, then first id), its rho and its supporters'
        counts: each rho computed exactly, from the least lower bound up, until the next
        lower bound is above the best rho. A project found unaffordable dies, and the
        explanation keeps its supporters' money then."""
        best, best_rho, best_counts = -1, None, None
        for i in order:
            if best_rho is not None and lower[i] > best_rho:
                break
            counts = self._counts(i, voter_class)
            rho = self._rho(i, counts, state)
            if rho is None:
                alive[i] = False  # money only shrinks: never affordable again
                if result is not None:
                    result.money_left[self.projects[i]] = _money(counts, state)
                continue
            lower[i] = rho
            if best_rho is None or rho < best_rho or (rho == best_rho and i < best):
                best, best_rho, best_counts = i, rho, counts
        return best, best_rho, best_counts

    def _select_bounded(
        self,
        order: list[int],
        lower: list[mpq],
        alive: list[bool],
        voter_class: np.ndarray,
        state: "_State",
        result: MesRun | None,
    ) -> tuple[int, mpq | None, "_Counts | None"]:
        """The same choice as ``_select`` for the runs nobody explains, with fewer exact
        rhos: each candidate's rho is first bracketed with integers (every class's money
        rounded up, then down, to a multiple of 2^-64: a lower and an upper bound, exact
        themselves); only those whose lower bound is within the least upper bound can be
        the best, and only theirs is computed exactly."""
        bracketed = []
        least_upper = None
        for i in order:
            if least_upper is not None and lower[i] > least_upper:
                break
            counts = self._counts(i, voter_class)
            bounds = self._rho_bounds(i, counts, state)
            if bounds is None:
                alive[i] = False  # short even with the money rounded up: never affordable
                continue
            low, high = bounds
            lower[i] = low
            bracketed.append((low, i, counts))
            if high is not None and (least_upper is None or high < least_upper):
                least_upper = high
        best, best_rho, best_counts = -1, None, None
        for low, i, counts in sorted(bracketed, key=lambda entry: entry[:2]):
            if best_rho is not None and low > best_rho:
                break
            rho = self._rho(i, counts, state)
            if rho is None:
                alive[i] = False
                continue
            lower[i] = rho
            if best_rho is None or rho < best_rho or (rho == best_rho and i < best):
                best, best_rho, best_counts = i, rho, counts
        return best, best_rho, best_counts

    def _counts(self, i: int, voter_class: np.ndarray) -> "_Counts":
        """Project ``i``'s supporters with money left: per distinct (class, satisfaction
        index), in numpy arrays."""
        classes = voter_class[self.groups[i]]
        n_sats = len(self.sat_values[i])
        if n_sats == 1:
            # Weights summed per class in floats: integers far below 2^53, so exact.
            sums = np.bincount(classes, weights=self.float_weights[i])
            sums[0] = 0
            paying = np.flatnonzero(sums)
            return _Counts(paying, np.zeros_like(paying), sums[paying].astype(np.int64))
        paying = classes != 0
        keys = classes[paying] * n_sats + self.indices[i][paying]
        if not keys.size:
            return _Counts(keys, keys, keys)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        weights = np.add.reduceat(self.weights[i][paying][order], starts)
        keys = keys[starts]
        return _Counts(keys // n_sats, keys % n_sats, weights)

    def _rho(self, i: int, counts: "_Counts", state: "_State") -> mpq | None:
        """The smallest rho such that sum(min(money, rho x sat)) = cost, the poorest
        paying all they have first; None when the supporters' money is short of the cost."""
        values = self.sat_values[i]
        if len(values) == 1:
            level = _water_level(self.costs[i], counts.classes, counts.weights, state)
            if level is None:
                return None
            remaining, others = level
            return remaining / (others * values[0])
        budgets = state.budgets
        remaining = mpq(self.costs[i])
        entries = sorted(
            (budgets[c] / values[s], values[s], budgets[c], w)
            for c, s, w in zip(
                counts.classes.tolist(), counts.sats.tolist(), counts.weights.tolist(), strict=True
            )
        )
        denominator = sum(sat * w for _, sat, _, w in entries)
        for ratio, sat, money, w in entries:
            if remaining <= ratio * denominator:
                return remaining / denominator
            remaining -= money * w
            denominator -= sat * w
        return None

    def _rho_bounds(
        self, i: int, counts: "_Counts", state: "_State"
    ) -> tuple[mpq, mpq | None] | None:
        """A lower and an upper bound of project ``i``'s rho (None: no upper bound), from
        the money rounded up and down to multiples of 2^-64 (more money never raises the
        water level, less never lowers it); None when even rounded up the supporters'
        money is short of the cost (then it is, exactly). Several satisfactions: the
        exact rho, twice."""
        values = self.sat_values[i]
        if len(values) > 1:
            rho = self._rho(i, counts, state)
            return None if rho is None else (rho, rho)
        if not counts.classes.size:
            return None
        scale = values[0] << _SCALE
        order = _money_order(self.costs[i], counts.classes, counts.weights, state)
        cost = self.costs[i] << _SCALE
        level = _walk(cost, state.above, *order)
        if level is None:
            return None
        low = mpq(level[0], level[1] * scale)
        level = _walk(cost, state.below, *order)
        return low, None if level is None else mpq(level[0], level[1] * scale)

    def _pay(self, bought: int, rho: mpq, voter_class: np.ndarray, state: "_State") -> None:
        """Each supporter with money pays min(money, rho x sat): its group moves to the
        class of what it has left."""
        groups = self.groups[bought]
        classes = voter_class[groups]
        paying = classes != 0
        values = self.sat_values[bought]
        n_sats = len(values)
        keys = classes[paying]
        if n_sats > 1:
            keys = keys * n_sats + self.indices[bought][paying]
        if not keys.size:
            return
        distinct, inverse = np.unique(keys, return_inverse=True)
        budgets = state.budgets
        nothing = budgets[0]
        parents = None
        if n_sats == 1:
            payment = rho * values[0]
            if state.paid is not None:
                state.payments.append(payment)
                parents = distinct.tolist()
            left = [
                money - payment if payment < money else nothing
                for money in map(budgets.__getitem__, distinct.tolist())
            ]
        else:
            left = []
            for key in distinct.tolist():
                money = budgets[key // n_sats]
                payment = rho * values[key % n_sats]
                left.append(money - payment if payment < money else nothing)
        moved = state.classes_of(left, parents)
        voter_class[groups[paying]] = np.array(moved, dtype=np.int64)[inverse]


# Money rounded to multiples of 2^-_SCALE bounds a rho (``MesEngine._rho_bounds``).
_SCALE = 64


class _Counts(NamedTuple):
    classes: np.ndarray
    sats: np.ndarray  # satisfaction indices
    weights: np.ndarray


class _State:
    """The classes of one run: class -> money left (exact, and as a float to sort by),
    and back; class 0 has nothing left."""

    def __init__(self, share: mpq, projects: int | None = None) -> None:
        self.share = share
        # When every project has one satisfaction for all its supporters, each bought
        # project b has one payment P_b, and each class's money is the share less the
        # payments it made: per class, which (a row of booleans per purchase, in order).
        self.paid = None if projects is None else np.zeros((1024, projects), dtype=np.int8)
        self.payments: list[mpq] = []
        self.budgets: list[mpq] = []
        # The money times 2^64, rounded down and up (integers).
        self.below: list[mpz] = []
        self.above: list[mpz] = []
        self.floats = np.zeros(1024, dtype=np.float64)
        self._classes: dict[mpq, int] = {}
        self.classes_of([mpq(0), share])

    def classes_of(self, amounts: list[mpq], parents: list[int] | None = None) -> list[int]:
        """The class of each amount of money, new ones made as needed (``amounts[j]``:
        what class ``parents[j]`` has left after paying for the latest purchase)."""
        table = self._classes
        get = table.get
        number = len(self.budgets)
        start = number
        numbers = []
        made_by = []
        for j, money in enumerate(amounts):
            known = get(money)
            if known is None:
                known = table[money] = number
                number += 1
                self.budgets.append(money)
                made_by.append(j)
            numbers.append(known)
        if number > start:
            fresh = self.budgets[start:]
            for money in fresh if self.paid is None else ():
                down, rest = divmod(money.numerator << _SCALE, money.denominator)
                self.below.append(down)
                self.above.append(down + 1 if rest else down)
            while number > len(self.floats):
                self.floats = np.concatenate((self.floats, np.zeros_like(self.floats)))
                if self.paid is not None:
                    self.paid = np.concatenate((self.paid, np.zeros_like(self.paid)))
            if self.paid is not None and parents is not None:
                rows = self.paid[[parents[j] for j in made_by]]
                rows[:, len(self.payments) - 1] = 1
                self.paid[start:number] = rows
            # float() of an mpq is monotonic: a < b gives float(a) <= float(b).
            self.floats[start:number] = [float(money) for money in fresh]
        return numbers


def _money_order(
    cost: int, classes: np.ndarray, weights: np.ndarray, state: _State
) -> tuple[np.ndarray, np.ndarray, int]:
    """The classes and weights from the poorest, and a guess (floats) of the first index k
    where the water level is within the k-th class's money (see ``_water_level``)."""
    floats = state.floats[classes]
    order = np.argsort(floats, kind="stable")
    floats = floats[order]
    classes = classes[order]
    if classes.size > 1 and not (floats[1:] > floats[:-1]).all():
        # Two different amounts of money rounded to the same float: sort them exactly.
        budgets = state.budgets
        order = np.array(
            sorted(range(classes.size), key=lambda j: budgets[classes[j]]), dtype=np.intp
        )
        classes = classes[order]
        floats = floats[order]
    weights = weights[order]
    paid = np.cumsum(floats * weights) - floats * weights
    others = int(weights.sum()) - (np.cumsum(weights) - weights)
    fits = cost - paid <= floats * others
    guess = int(fits.argmax()) if fits.any() else weights.size - 1
    return classes, weights, guess


def _walk(
    cost: int | mpq,
    money: list,
    sorted_classes: np.ndarray,
    sorted_weights: np.ndarray,
    k: int,
    poorest: mpq | None = None,
) -> tuple[mpq | int, int] | None:
    """From the guess ``k``, the exact first index where the water level fits: (cost
    left after the poorer classes paid all, weight of the others), None when no index
    fits (the money is short of the cost). ``money`` is per class: exact, or scaled
    integers; ``poorest``, when given, is what the k poorest classes have in all."""
    classes, weights = sorted_classes.tolist(), sorted_weights.tolist()
    get = money.__getitem__
    if poorest is None:
        poorest = sum(map(mul, map(get, classes[:k]), weights[:k]))
    remaining = cost - poorest
    others = sum(weights[k:])
    # Back while the previous index already fits, then forward until this one fits.
    while k > 0:
        poorer = get(classes[k - 1])
        before = remaining + poorer * weights[k - 1]
        if before > poorer * (others + weights[k - 1]):
            break
        k -= 1
        remaining = before
        others += weights[k]
    while remaining > (current := get(classes[k])) * others:
        remaining -= current * weights[k]
        others -= weights[k]
        k += 1
        if k == len(classes):
            return None
    return remaining, others


def _water_level(
    cost: int, classes: np.ndarray, weights: np.ndarray, state: _State
) -> tuple[mpq, int] | None:
    """The payment P = remaining / others with sum(min(money, P) x weight) = cost over
    the classes, exact; None when their money is short of it.

    Sorted by money, the poorest k classes pay all they have and the others P = (cost -
    their money) / (the others' weight): k is the first index where that P is within the
    k-th class's money (once true it stays true). Floats (numpy) guess k; exact rationals
    check it and walk from there, so the answer does not depend on rounding."""
    if not classes.size:
        return None
    classes, weights, k = _money_order(cost, classes, weights, state)
    poorest = None
    if state.paid is not None:
        # Each class's money is the share less the payments it made in full (P_b for
        # project b): the k poorest classes' money, summed per payment, not per class.
        made = weights[:k] @ state.paid[classes[:k], : len(state.payments)]
        poorest = state.share * int(weights[:k].sum()) - sum(
            (state.payments[b] * int(made[b]) for b in np.flatnonzero(made).tolist()), mpq(0)
        )
    return _walk(mpq(cost), state.budgets, classes, weights, k, poorest)


def _money(counts: _Counts, state: _State) -> Fraction:
    budgets = state.budgets
    return _fraction(
        sum(
            (
                budgets[c] * w
                for c, w in zip(counts.classes.tolist(), counts.weights.tolist(), strict=True)
            ),
            mpq(0),
        )
    )


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
