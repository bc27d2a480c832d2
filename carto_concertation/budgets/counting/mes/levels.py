# SPDX-License-Identifier: AGPL-3.0-or-later
"""The money of one run, by class, and the water level a project's price is found at
(``MesEngine`` in engine.py)."""

from fractions import Fraction
from operator import mul
from typing import NamedTuple

import numpy as np
from gmpy2 import mpq, mpz

from .runs import as_fraction

# Money rounded to multiples of 2^-SCALE bounds a rho (``MesEngine._rho_bounds``).
SCALE = 64


class Counts(NamedTuple):
    classes: np.ndarray
    sats: np.ndarray  # satisfaction indices
    weights: np.ndarray


class RunMoney:
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
                down, rest = divmod(money.numerator << SCALE, money.denominator)
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


def money_order(
    cost: int, classes: np.ndarray, weights: np.ndarray, state: RunMoney
) -> tuple[np.ndarray, np.ndarray, int]:
    """The classes and weights from the poorest, and a guess (floats) of the first index k
    where the water level is within the k-th class's money (see ``water_level``)."""
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


def walk_to_level(
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


def water_level(
    cost: int, classes: np.ndarray, weights: np.ndarray, state: RunMoney
) -> tuple[mpq, int] | None:
    """The payment P = remaining / others with sum(min(money, P) x weight) = cost over
    the classes, exact; None when their money is short of it.

    Sorted by money, the poorest k classes pay all they have and the others P = (cost -
    their money) / (the others' weight): k is the first index where that P is within the
    k-th class's money (once true it stays true). Floats (numpy) guess k; exact rationals
    check it and walk from there, so the answer does not depend on rounding."""
    if not classes.size:
        return None
    classes, weights, k = money_order(cost, classes, weights, state)
    poorest = None
    if state.paid is not None:
        # Each class's money is the share less the payments it made in full (P_b for
        # project b): the k poorest classes' money, summed per payment, not per class.
        made = weights[:k] @ state.paid[classes[:k], : len(state.payments)]
        poorest = state.share * int(weights[:k].sum()) - sum(
            (state.payments[b] * int(made[b]) for b in np.flatnonzero(made).tolist()), mpq(0)
        )
    return walk_to_level(mpq(cost), state.budgets, classes, weights, k, poorest)


def money_of(counts: Counts, state: RunMoney) -> Fraction:
    budgets = state.budgets
    return as_fraction(
        sum(
            (
                budgets[c] * w
                for c, w in zip(counts.classes.tolist(), counts.weights.tolist(), strict=True)
            ),
            mpq(0),
        )
    )
