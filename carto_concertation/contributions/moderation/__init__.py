# SPDX-License-Identifier: AGPL-3.0-or-later
"""Moderation and the collectivité's answers, one transaction each.

Moderators never delete: they approve, hide with a public reason (a placeholder stays),
restore, or merge twin ideas (contributions, comments). Planners (and moderators) study
and answer (answers). Every one of these actions writes a line of the concertation's
public log, which names the role acted in, never the person; the author of what was
moderated or answered is notified (common). Anyone signed in reports (reports).
"""

from .answers import NEXT_STATUSES, contribution_answer
from .comments import comment_approve, comment_hide, comment_restore
from .contributions import (
    contribution_approve,
    contribution_hide,
    contribution_merge,
    contribution_restore,
)
from .reports import report_create

__all__ = [
    "NEXT_STATUSES",
    "comment_approve",
    "comment_hide",
    "comment_restore",
    "contribution_answer",
    "contribution_approve",
    "contribution_hide",
    "contribution_merge",
    "contribution_restore",
    "report_create",
]
