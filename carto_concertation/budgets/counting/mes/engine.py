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

from collections.abc import Iterable
from fractions import Fraction

import numpy as np
from gmpy2 import mpq

from ..profile import Profile
from .levels import SCALE, Counts, RunMoney, money_of, money_order, walk_to_level, water_level
from .runs import MesRun, Purchase, as_fraction


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
    from it (``walk_to_level``). With one satisfaction per project (approval), every bought
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
        state = RunMoney(money, len(self.projects) if self.uniform else None)
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
                    as_fraction(best_rho),
                    money_of(best_counts, state) if explain else Fraction(0),
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
        state: "RunMoney",
        result: MesRun | None,
    ) -> tuple[int, mpq | None, "Counts | None"]:
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
                    result.money_left[self.projects[i]] = money_of(counts, state)
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
        state: "RunMoney",
        result: MesRun | None,
    ) -> tuple[int, mpq | None, "Counts | None"]:
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

    def _counts(self, i: int, voter_class: np.ndarray) -> "Counts":
        """Project ``i``'s supporters with money left: per distinct (class, satisfaction
        index), in numpy arrays."""
        classes = voter_class[self.groups[i]]
        n_sats = len(self.sat_values[i])
        if n_sats == 1:
            # Weights summed per class in floats: integers far below 2^53, so exact.
            sums = np.bincount(classes, weights=self.float_weights[i])
            sums[0] = 0
            paying = np.flatnonzero(sums)
            return Counts(paying, np.zeros_like(paying), sums[paying].astype(np.int64))
        paying = classes != 0
        keys = classes[paying] * n_sats + self.indices[i][paying]
        if not keys.size:
            return Counts(keys, keys, keys)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        weights = np.add.reduceat(self.weights[i][paying][order], starts)
        keys = keys[starts]
        return Counts(keys // n_sats, keys % n_sats, weights)

    def _rho(self, i: int, counts: "Counts", state: "RunMoney") -> mpq | None:
        """The smallest rho such that sum(min(money, rho x sat)) = cost, the poorest
        paying all they have first; None when the supporters' money is short of the cost."""
        values = self.sat_values[i]
        if len(values) == 1:
            level = water_level(self.costs[i], counts.classes, counts.weights, state)
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
        self, i: int, counts: "Counts", state: "RunMoney"
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
        scale = values[0] << SCALE
        order = money_order(self.costs[i], counts.classes, counts.weights, state)
        cost = self.costs[i] << SCALE
        level = walk_to_level(cost, state.above, *order)
        if level is None:
            return None
        low = mpq(level[0], level[1] * scale)
        level = walk_to_level(cost, state.below, *order)
        return low, None if level is None else mpq(level[0], level[1] * scale)

    def _pay(self, bought: int, rho: mpq, voter_class: np.ndarray, state: "RunMoney") -> None:
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
