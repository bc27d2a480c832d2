# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's tables (docs/budgets.md, "Data model")."""

from .ballots import Ballot, BallotChoice, PaperBallotEntry, Participation
from .editions import District, Edition, EditionPhase
from .followup import ProjectFollower, ProjectUpdate
from .projects import Project, ProjectPhoto, ProjectSupporter
from .results import ResultRun

__all__ = [
    "Ballot",
    "BallotChoice",
    "District",
    "Edition",
    "EditionPhase",
    "PaperBallotEntry",
    "Participation",
    "Project",
    "ProjectFollower",
    "ProjectPhoto",
    "ProjectSupporter",
    "ProjectUpdate",
    "ResultRun",
]
