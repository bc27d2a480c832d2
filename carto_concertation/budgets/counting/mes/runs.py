# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a run of MES answers: its purchases, and what was left to the others."""

from dataclasses import dataclass, field
from fractions import Fraction

from gmpy2 import mpq


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


def as_fraction(value: mpq) -> Fraction:
    return Fraction(int(value.numerator), int(value.denominator))
