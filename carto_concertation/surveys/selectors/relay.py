# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a relay reads: the questionnaires they may type answers into."""

from django.db.models import Count, Q

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


def questionnaire_for_relay(user, slug: str) -> Questionnaire | None:
    """A questionnaire ``user`` may type answers into (published, module on), whether or
    not it still takes entries (the service says why not)."""
    questionnaire = questionnaires_public().filter(slug=slug).first()
    if questionnaire is None or not user.has_perm("surveys.enter_answers", questionnaire):
        return None
    return questionnaire
