# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Pabulib ``.pb`` format (pabulib.org/format): read a file into an election, write one.

A ``.pb`` file has three ``;``-separated sections: ``META`` (key;value), ``PROJECTS`` and
``VOTES`` (a header row, then one row per project or voter).
"""

import csv
import io
from dataclasses import dataclass

from .counting import Ballot, Election, Project

SECTIONS = ("META", "PROJECTS", "VOTES")


class PabulibError(ValueError):
    """A file that does not parse: the line (1-based) and the reason."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass
class PabulibFile:
    meta: dict[str, str]
    # Each project's row and each voter's row, by column name, in file order.
    projects: list[dict[str, str]]
    votes: list[dict[str, str]]

    def election(self) -> Election:
        """The election the file describes (budget, project costs, ballots)."""
        projects = tuple(
            Project(id=row["project_id"], cost=int(float(row["cost"])), name=row.get("name", ""))
            for row in self.projects
        )
        vote_type = self.meta.get("vote_type", "approval")
        ballots = []
        for row in self.votes:
            chosen = tuple(p for p in row.get("vote", "").split(",") if p)
            points = None
            if vote_type == "cumulative" and row.get("points"):
                points = tuple(int(p) for p in row["points"].split(","))
            ballots.append(Ballot(projects=chosen, points=points))
        return Election(
            budget=int(float(self.meta["budget"])),
            projects=projects,
            ballots=tuple(ballots),
            vote_type=vote_type,
            meta=dict(self.meta),
        )


def parse(text: str) -> PabulibFile:
    """Read a ``.pb`` file's text; ``PabulibError`` names the line and the reason."""
    rows = csv.reader(io.StringIO(text), delimiter=";")
    section = None
    header: list[str] | None = None
    meta: dict[str, str] = {}
    tables: dict[str, list[dict[str, str]]] = {"PROJECTS": [], "VOTES": []}
    for number, row in enumerate(rows, start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        first = row[0].strip()
        if first.upper() in SECTIONS and len(row) == 1:
            section, header = first.upper(), None
            continue
        if section is None:
            raise PabulibError(number, "the file must start with a META section")
        if header is None:
            header = [cell.strip() for cell in row]
            continue
        if len(row) != len(header):
            raise PabulibError(number, f"{len(row)} fields where the header has {len(header)}")
        if section == "META":
            meta[row[0].strip()] = row[1].strip()
        else:
            tables[section].append(dict(zip(header, (cell.strip() for cell in row), strict=True)))
    return PabulibFile(meta=meta, projects=tables["PROJECTS"], votes=tables["VOTES"])
