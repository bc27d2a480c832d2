# SPDX-License-Identifier: AGPL-3.0-or-later
"""An election read as the rules need it: each distinct ballot once with its multiplicity,
and each voter's satisfaction per project as an integer (pabutools' satisfaction classes).

Identical ballots are grouped because real and benchmark profiles repeat them a lot and
every rule is linear in the voters: the group's weight stands for its voters.
"""

from collections import Counter
from dataclasses import dataclass

from .election import Election

# Satisfaction measures, named as in pabutools.
COST = "cost"  # approval, Cost_Sat: the cost of an approved project
CARDINALITY = "cardinality"  # approval, Cardinality_Sat: 1 per approved project
POINTS = "points"  # cumulative, Additive_Cardinal_Sat: the points given
BORDA = "borda"  # ordinal, Additive_Borda_Sat: len(ballot) - position - 1


@dataclass(frozen=True)
class Group:
    weight: int  # how many ballots are identical to this one
    sats: dict[str, int]  # project -> satisfaction (> 0 only)
    chosen: tuple[str, ...]  # every project the ballot chose (a Borda 0 included)


@dataclass(frozen=True)
class Profile:
    budget: int
    costs: dict[str, int]  # every project, in the election's order
    groups: tuple[Group, ...]
    measure: str
    n_voters: int

    def votes(self) -> dict[str, int]:
        """Ballots choosing each project."""
        votes = dict.fromkeys(self.costs, 0)
        for group in self.groups:
            for project in group.chosen:
                votes[project] += group.weight
        return votes

    def scores(self) -> dict[str, int]:
        """Total satisfaction points per project (points, Borda points, or votes); for
        Cost_Sat the votes, as the satisfaction per euro is what greedy ranks by."""
        scores = dict.fromkeys(self.costs, 0)
        for group in self.groups:
            for project, sat in group.sats.items():
                scores[project] += group.weight * (1 if self.measure == COST else sat)
        return scores

    def total_sat(self, project: str) -> int:
        return sum(g.weight * g.sats.get(project, 0) for g in self.groups)


def default_measure(election: Election, satisfaction: str = COST) -> str:
    if election.vote_type == "cumulative":
        return POINTS
    if election.vote_type == "ordinal":
        return BORDA
    if satisfaction not in (COST, CARDINALITY):
        raise ValueError(f"satisfaction: {satisfaction!r} is neither 'cost' nor 'cardinality'")
    return satisfaction


def build_profile(election: Election, measure: str | None = None) -> Profile:
    """Group the ballots and turn them into satisfactions; ``ValueError`` names a ballot
    choosing an unknown project."""
    measure = measure or default_measure(election)
    costs = {project.id: int(project.cost) for project in election.projects}
    counter: Counter[tuple[tuple[str, ...], tuple[int, ...] | None]] = Counter(
        (ballot.projects, ballot.points) for ballot in election.ballots
    )
    groups = []
    for (chosen, points), weight in counter.items():
        sats: dict[str, int] = {}
        for index, project in enumerate(chosen):
            if project not in costs:
                raise ValueError(f"ballots: project {project!r} is not in the election")
            if measure == COST:
                sat = costs[project]
            elif measure == CARDINALITY:
                sat = 1
            elif measure == POINTS:
                sat = points[index] if points else 1
            else:
                sat = len(chosen) - index - 1
            if sat > 0:
                sats[project] = sats.get(project, 0) + sat
        groups.append(Group(weight=weight, sats=sats, chosen=tuple(dict.fromkeys(chosen))))
    return Profile(
        budget=int(election.budget),
        costs=costs,
        groups=tuple(groups),
        measure=measure,
        n_voters=len(election.ballots),
    )
