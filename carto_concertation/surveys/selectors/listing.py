# SPDX-License-Identifier: AGPL-3.0-or-later
"""What residents find of the questionnaires: the list (open, upcoming, closed), the home
page's open ones, a space's, and a person's own responses."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Questionnaire, Response
from .questionnaires import questionnaire_open, questionnaires_public


class State(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


def questionnaire_state(questionnaire: Questionnaire, at: datetime | None = None) -> State:
    at = at or timezone.now()
    if at < questionnaire.opens_at:
        return State.UPCOMING
    return State.OPEN if at < questionnaire.closes_at else State.CLOSED


@dataclass
class Listing:
    """The public questionnaires by state: open ones closing first, then the upcoming
    ones opening first, then the closed ones, last closed first."""

    open: list[Questionnaire] = field(default_factory=list)
    upcoming: list[Questionnaire] = field(default_factory=list)
    closed: list[Questionnaire] = field(default_factory=list)

    def __iter__(self):
        yield from self.open
        yield from self.upcoming
        yield from self.closed


def questionnaires_listed(
    *, concertation_id: int | None = None, at: datetime | None = None
) -> Listing:
    """The published questionnaires of territories where the module is on (of one
    concertation, if given), by state: one query. Their concertation comes without its
    perimeter, which nothing listed shows (an EPCI's outline, parsed on every map page
    that links to its questionnaire)."""
    at = at or timezone.now()
    rows = questionnaires_public().select_related("concertation").defer("concertation__perimeter")
    if concertation_id is not None:
        rows = rows.filter(concertation_id=concertation_id)
    listing = Listing()
    for questionnaire in rows.order_by("closes_at", "opens_at", "pk"):
        getattr(listing, questionnaire_state(questionnaire, at)).append(questionnaire)
    listing.upcoming.sort(key=lambda q: (q.opens_at, q.pk))
    listing.closed.reverse()
    return listing


def questionnaires_open_now() -> QuerySet[Questionnaire]:
    """The published questionnaires taking answers now (module on), closing first."""
    now = timezone.now()
    return (
        questionnaires_public()
        .filter(opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")
    )


@dataclass
class OwnResponses:
    """A person's responses: drafts they may resume (the questionnaire still takes
    answers) and those they submitted."""

    drafts: list[Response]
    submitted: list[Response]

    def __bool__(self) -> bool:
        return bool(self.drafts or self.submitted)


def responses_of(user) -> OwnResponses:
    """The person's own online responses (a relay's entries carry no person), newest
    first; a draft of a questionnaire that no longer takes answers is left out, there is
    nothing to resume; every one is of a questionnaire the module is on for."""
    rows = (
        Response.objects.filter(user=user, questionnaire__in=questionnaires_public())
        .select_related("questionnaire")
        .order_by("-updated_at", "-pk")
    )
    drafts, submitted = [], []
    for response in rows:
        if response.status == Response.Status.SUBMITTED:
            submitted.append(response)
        elif questionnaire_open(response.questionnaire):
            drafts.append(response)
    return OwnResponses(drafts=drafts, submitted=submitted)
