# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a count reads: the budget, the projects and the ballots, as plain values."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Project:
    # The project's id in the election (its number in an edition, Pabulib's project_id).
    id: str
    cost: int
    name: str = ""


@dataclass(frozen=True)
class Ballot:
    # The projects chosen, in the ballot's order: for an ordinal ballot, the best first.
    projects: tuple[str, ...]
    # Cumulative ballots: the points given to each project of ``projects``, in order.
    points: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Election:
    budget: int
    projects: tuple[Project, ...]
    ballots: tuple[Ballot, ...]
    # Pabulib's vote_type: "approval", "cumulative" or "ordinal".
    vote_type: str = "approval"
    meta: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
