# SPDX-License-Identifier: AGPL-3.0-or-later
"""Following an idea: a person asks for an e-mail (notification kind ``follow``) when
the collectivité answers it or its status changes. The notice is sent from
``changes.contributions_changing``, through which every write that changes an idea's
status or answer goes (answers, moderation, withdrawal), so no such write can forget it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from carto_concertation.accounts.notifications import notify

from .models import Contribution, Follow
from .permissions import signed_in_check
from .selectors import PUBLIC_STATUSES

# The statuses a follower hears of: a hidden idea's title stays unsaid, one awaiting
# moderation is not public.
ANNOUNCED_STATUSES = (
    *PUBLIC_STATUSES,
    Contribution.Status.WITHDRAWN,
    Contribution.Status.MERGED,
)


@transaction.atomic
def follow_set(*, contribution: Contribution, user) -> Follow:
    """Follow a public idea (following it twice is following it)."""
    signed_in_check(user, _("Sign in to follow an idea."))
    if contribution.status not in PUBLIC_STATUSES:
        raise ValidationError({"contribution": _("This idea cannot be followed.")})
    try:
        with transaction.atomic():
            return Follow.objects.create(contribution=contribution, user=user)
    except IntegrityError:
        return Follow.objects.get(contribution=contribution, user=user)


@transaction.atomic
def follow_remove(*, contribution: Contribution, user) -> None:
    """Stop following an idea (nothing when one did not follow it)."""
    signed_in_check(user, _("Sign in to follow an idea."))
    Follow.objects.filter(contribution=contribution, user=user).delete()


def idea_url(contribution: Contribution) -> str:
    """The idea's public page, as an e-mail links to it."""
    return settings.SITE_URL + reverse(
        "idea", args=[contribution.concertation.slug, contribution.pk]
    )


def followers_notify(*, contribution: Contribution, status_before: str, answer_before: str) -> None:
    """Tell the followers of an idea that its status or answer changed (its author is
    told by the answer's own notice, and is left out)."""
    changed_status = contribution.status != status_before
    changed_answer = contribution.answer != answer_before
    if not (changed_status or changed_answer):
        return
    if contribution.status not in ANNOUNCED_STATUSES:
        return
    followers = Follow.objects.filter(contribution=contribution).exclude(
        user_id=contribution.author_id
    )
    lines = [
        _("“%(title)s” is now %(status)s.")
        % {"title": contribution.title, "status": contribution.get_status_display()}
    ]
    if contribution.answer and contribution.status in PUBLIC_STATUSES:
        lines.append(
            _("Answer of %(service)s:\n%(answer)s")
            % {"service": contribution.answer_service, "answer": contribution.answer}
        )
    lines.append(
        _("Read it, or stop following it, on its page: %(url)s") % {"url": idea_url(contribution)}
    )
    body = "\n\n".join(lines)
    subject = _("An idea you follow: %(title)s") % {"title": contribution.title[:80]}
    for follow in followers.select_related("user"):
        notify(user=follow.user, kind="follow", subject=subject, body=body)
