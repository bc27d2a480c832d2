# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a relay reads: the questionnaires they may type answers into."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from ..models import Questionnaire, Response
from ..services.relay import relay_takes_entries
from .questionnaires import questionnaires_public


def questionnaires_for_relay(user) -> list[Questionnaire]:
    """The published questionnaires still taking relays' entries on which ``user`` may
    enter answers, each with ``entered`` (the responses they typed in)."""
    candidates = questionnaires_public().annotate(
        entered=Count(
            "responses",
            filter=Q(responses__entered_by=user) & ~Q(responses__channel=Response.Channel.ONLINE),
        )
    )
    return [
        q
        for q in candidates.order_by("closes_at", "title")
        if relay_takes_entries(q) and user.has_perm("surveys.enter_answers", q)
    ]


def questionnaire_for_relay(user, slug: str) -> Questionnaire:
    """A questionnaire ``user`` may type answers into (published, module on), whether or
    not it still takes entries (the service says why not); a draft is not found, another
    territory's is refused."""
    questionnaire = questionnaires_public().filter(slug=slug).first()
    if questionnaire is None:
        raise Http404
    if not user.has_perm("surveys.enter_answers", questionnaire):
        raise PermissionDenied(_("Only the relays and planners of this territory may do that."))
    return questionnaire
