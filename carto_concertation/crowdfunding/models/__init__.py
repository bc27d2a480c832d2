# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's rows: located projects carried by a porteur, the figures of
their campaign (each update kept, imports of the platform's CSV), and the follow-up of the
works with its followers. The money goes through a regulated platform: no contributor and
no payment is held here, only the totals the porteur or the platform's export gives."""

from .campaign import FundingImport, FundingUpdate
from .followup import ProjectFollower, WorksUpdate
from .projects import Project, ProjectPhoto

__all__ = [
    "FundingImport",
    "FundingUpdate",
    "Project",
    "ProjectFollower",
    "ProjectPhoto",
    "WorksUpdate",
]
