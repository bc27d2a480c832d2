# SPDX-License-Identifier: AGPL-3.0-or-later
"""The collectivité's answer: an idea studied, then retained or not, with its reasons."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.accounts.notifications import notify
from carto_concertation.core.text import plain_text
from carto_concertation.engagement.models import ModerationAction

from ..changes import contribution_changing
from ..models import Contribution
from ..permissions import answerer_role
from .common import moderation_log

Status = Contribution.Status

# The collectivité's workflow: which status may follow which (a closing answer may be
# corrected by another closing answer).
NEXT_STATUSES = {
    Status.PUBLISHED: {Status.UNDER_STUDY, *Contribution.CLOSING},
    Status.UNDER_STUDY: set(Contribution.CLOSING),
    **{closing: set(Contribution.CLOSING) for closing in Contribution.CLOSING},
}


@transaction.atomic
def contribution_answer(
    *,
    contribution: Contribution,
    actor,
    status: str,
    answer: str = "",
    answer_service: str = "",
) -> Contribution:
    """Move an idea along published → under study → retained, partly retained or not
    retained; a closing status carries the official answer, its date and the answering
    service (never a person's name); "under study" may carry a first answer, shown as
    well. The author is notified."""
    with contribution_changing(contribution.pk) as locked:
        role = answerer_role(concertation=locked.concertation, user=actor)
        allowed = NEXT_STATUSES.get(locked.status, set())
        if status not in allowed:
            raise ValidationError(
                {
                    "status": _("A contribution that is %(current)s cannot become %(status)s.")
                    % {
                        "current": locked.get_status_display(),
                        "status": Status(status).label if status in Status.values else status,
                    }
                }
            )
        answer, answer_service = plain_text(answer or ""), plain_text(answer_service or "")[:120]
        closing = status in Contribution.CLOSING
        if closing:
            errors = {}
            if not answer:
                errors["answer"] = _("A closing status needs the official answer.")
            if not answer_service:
                errors["answer_service"] = _("Name the service that answers.")
            if errors:
                raise ValidationError(errors)
        locked.status = status
        # An answer given with "under study" is kept and shown as well (a closing one later
        # replaces it); without text, whatever was answered before stays.
        if answer:
            locked.answer, locked.answer_service = answer, answer_service
            locked.answered_at = timezone.now()
        locked.save(
            update_fields=["status", "answer", "answer_service", "answered_at", "updated_at"]
        )
        moderation_log(
            concertation=locked.concertation,
            action=ModerationAction.Action.ANSWER if closing else ModerationAction.Action.STUDY,
            role=role,
            actor=actor,
            reason=answer,
            contribution=locked,
        )
        if closing:
            body = _("“%(title)s” is %(status)s.\n\nAnswer of %(service)s:\n%(answer)s") % {
                "title": locked.title,
                "status": locked.get_status_display(),
                "service": answer_service,
                "answer": answer,
            }
        else:
            body = _("“%(title)s” is now under study by the collectivité.") % {
                "title": locked.title
            }
            if answer:
                body = f"{body}\n\n{answer}"
        notify(
            user=locked.author,
            kind="answer",
            subject=_("Your contribution: %(title)s") % {"title": locked.title[:80]},
            body=body,
        )
    return locked
