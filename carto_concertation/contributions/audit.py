# SPDX-License-Identifier: AGPL-3.0-or-later
"""The staff actions the ideas module records in the audit journal (core.audit)."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "ideas.approve": _("Idea approved"),
    "ideas.hide": _("Idea hidden"),
    "ideas.restore": _("Idea restored"),
    "ideas.merge": _("Idea merged"),
    "ideas.study": _("Idea put under study"),
    "ideas.answer": _("Idea answered"),
    "ideas.comment_approve": _("Comment approved"),
    "ideas.comment_hide": _("Comment hidden"),
    "ideas.comment_restore": _("Comment restored"),
    "ideas.exported": _("Ideas exported by staff"),
}


def moderation_audit_action(action: str, *, on_comment: bool) -> str:
    """The journal's code of a moderation decision (ModerationAction.Action)."""
    return f"ideas.{'comment_' if on_comment else ''}{action}"
