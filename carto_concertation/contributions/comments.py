# SPDX-License-Identifier: AGPL-3.0-or-later
"""The debate under a contribution: comments and replies to them (two levels only),
moderated as the contributions are."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carto_concertation.accounts.notifications import notify
from carto_concertation.core.text import plain_text

from .models import Comment, Contribution, IdeasSettings
from .permissions import open_phase_check, signed_in_check
from .selectors import PUBLIC_STATUSES, ideas_settings_of

TEXT_MAX = 2000


@transaction.atomic
def comment_create(
    *, contribution: Contribution, author, text: str, parent: Comment | None = None
) -> Comment:
    """Comment a published idea during the open phase, or reply to a comment on it
    (not to a reply). Under before-publication moderation it waits for approval."""
    signed_in_check(author, _("Sign in to comment."))
    contribution = Contribution.objects.select_related("concertation").get(pk=contribution.pk)
    concertation = contribution.concertation
    open_phase_check(concertation)
    if contribution.status not in PUBLIC_STATUSES:
        raise ValidationError({"contribution": _("This contribution cannot be commented.")})
    errors = {}
    text = plain_text(text or "")[:TEXT_MAX]
    if not text:
        errors["text"] = _("Write your comment.")
    if parent is not None:
        if parent.contribution_id != contribution.pk:
            errors["parent"] = _("Reply to a comment of the same contribution.")
        elif parent.parent_id is not None:
            errors["parent"] = _("Replies go to a comment, not to another reply.")
        elif parent.status != Comment.Status.PUBLISHED:
            errors["parent"] = _("This comment cannot receive replies.")
    if errors:
        raise ValidationError(errors)
    comment = Comment.objects.create(
        contribution=contribution,
        parent=parent,
        author=author,
        text=text,
        status=(
            Comment.Status.SUBMITTED
            if ideas_settings_of(concertation).moderation == IdeasSettings.Moderation.BEFORE
            else Comment.Status.PUBLISHED
        ),
    )
    if comment.status == Comment.Status.PUBLISHED:
        reply_notify(comment=comment)
    return comment


def reply_notify(*, comment: Comment) -> None:
    """Tell the author of a comment that a (now visible) reply answers it; nothing when
    the idea is no longer public (a hidden one's title stays unsaid)."""
    parent = comment.parent
    if parent is None or parent.author_id is None or parent.author_id == comment.author_id:
        return
    if comment.contribution.status not in PUBLIC_STATUSES:
        return
    notify(
        user=parent.author,
        kind="reply",
        subject=_("A reply to your comment on “%(title)s”")
        % {"title": comment.contribution.title[:80]},
        body=_("%(pseudonym)s replied to your comment:\n\n%(text)s")
        % {
            "pseudonym": comment.author.pseudonym if comment.author_id else _("Someone"),
            "text": comment.text,
        },
    )
