# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas in the search box of a space's map (the manifest's ``search`` slot): the
public ones whose title or text holds the words (French full-text search on the
``search`` generated column), best first; never one awaiting moderation, withdrawn,
hidden or merged."""

from django.contrib.gis.db.models.functions import Envelope, Transform
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F
from django.urls import reverse

from carto_concertation.core.modules import MapSpace
from carto_concertation.core.search import SearchHit, place_of

from .models import Contribution
from .selectors import PUBLIC_STATUSES


def ideas_search(space: MapSpace, query: str, limit: int) -> list[SearchHit]:
    words = SearchQuery(query, config="french", search_type="websearch")
    ideas = (
        Contribution.objects.filter(
            concertation_id=space.pk, status__in=PUBLIC_STATUSES, search=words
        )
        .annotate(rank=SearchRank(F("search"), words), box=Envelope(Transform("geom", 4326)))
        .select_related("commune")
        .only("pk", "title", "status", "commune__name", "geom")
        .order_by("-rank", "-pk")[:limit]
    )
    page = reverse("concertation", args=[space.slug])
    return [
        SearchHit(
            label=idea.title,
            detail=" · ".join(
                part
                for part in (str(idea.get_status_display()), idea.commune and idea.commune.name)
                if part
            ),
            url=f"{page}#idea-{idea.pk}",
            **place_of(idea.box.extent),
        )
        for idea in ideas
    ]
