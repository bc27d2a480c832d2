# SPDX-License-Identifier: AGPL-3.0-or-later
"""The debate under a contribution: comments and replies to them (two levels only),
moderated as the contributions are. The comments are engagement's (generic, on any
declared model); what is the ideas module's own is checked here: who, in which phase, on
which status, and whether a comment waits for moderation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carto_concertation.accounts.notifications import notify
from carto_concertation.engagement.models import Comment
from carto_concertation.engagement.selectors import account_banned
from carto_concertation.engagement.services import comment_write

from .models import Contribution, IdeasSettings
from .permissions import open_phase_check, signed_in_check
from .selectors import PUBLIC_STATUSES, ideas_settings_of


@transaction.atomic
def comment_create(
    *, contribution: Contribution, author, text: str, parent: Comment | None = None
) -> Comment:
    """Comment a published idea during the open phase, or reply to a comment on it
    (not to a reply). Under before-publication moderation it waits for approval."""
    signed_in_check(author, _("Sign in to comment."))
    contribution = Contribution.objects.select_related("concertation").get(pk=contribution.pk)
    concertation = contribution.concertation
    open_phase_check(concertation, "comment")
    if contribution.status not in PUBLIC_STATUSES:
        raise ValidationError({"contribution": _("This contribution cannot be commented.")})
    comment = comment_write(
        target=contribution,
        author=author,
        text=text,
        parent=parent,
        # A banned account's comment waits for the moderators, unannounced.
        status=(
            Comment.Status.SUBMITTED
            if ideas_settings_of(concertation).moderation == IdeasSettings.Moderation.BEFORE
            or account_banned(user=author, territory_id=concertation.territory_id)
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
    contribution = comment.target
    if contribution.status not in PUBLIC_STATUSES:
        return
    notify(
        user=parent.author,
        kind="reply",
        subject=_("A reply to your comment on “%(title)s”") % {"title": contribution.title[:80]},
        body=_("%(pseudonym)s replied to your comment:\n\n%(text)s")
        % {
            "pseudonym": comment.author.pseudonym if comment.author_id else _("Someone"),
            "text": comment.text,
        },
    )
