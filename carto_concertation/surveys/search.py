# SPDX-License-Identifier: AGPL-3.0-or-later
"""The questionnaires in the search box of a space's map (the manifest's ``search``
slot): the space's published ones whose title or description holds the words (French
full-text search), best first; each placed on the space's perimeter, where its map
questions are asked."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import MapSpace
from carto_concertation.core.search import SearchHit, place_of
from carto_concertation.core.wgs84 import wgs84

from . import links
from .selectors.listing import State, questionnaire_state
from .selectors.questionnaires import questionnaires_public

WORDS = SearchVector("title", "description", config="french")
WGS84 = 4326
STATE_LABELS = {
    State.OPEN: _("questionnaire open"),
    State.UPCOMING: _("questionnaire coming soon"),
    State.CLOSED: _("questionnaire closed"),
}


def questionnaires_search(space: MapSpace, query: str, limit: int) -> list[SearchHit]:
    words = SearchQuery(query, config="french", search_type="websearch")
    found = (
        questionnaires_public()
        .filter(concertation_id=space.pk)
        .annotate(words=WORDS)
        .filter(words=words)
        .annotate(rank=SearchRank(WORDS, words))
        .order_by("-rank", "title")[:limit]
    )
    place = place_of(wgs84(space.perimeter).extent if space.perimeter else None)
    return [
        SearchHit(
            label=questionnaire.title,
            detail=str(STATE_LABELS[questionnaire_state(questionnaire)]),
            url=links.questionnaire_url(questionnaire.slug),
            **place,
        )
        for questionnaire in found
    ]
