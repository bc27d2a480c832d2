# SPDX-License-Identifier: AGPL-3.0-or-later
"""The portal's projects in the search box of a space's map (the manifest's ``search``
slot): those of the space's territory on the map whose title, summary, description or
porteur holds the words (French full-text search), best first."""

from django.contrib.gis.db.models.functions import Envelope, Transform
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.urls import reverse

from carto_concertation.core.modules import MapSpace
from carto_concertation.core.search import SearchHit, place_of

from .selectors.portal import projects_filtered

WORDS = SearchVector("title", "summary", "description", "porteur_name", config="french")


def projects_search(space: MapSpace, query: str, limit: int) -> list[SearchHit]:
    words = SearchQuery(query, config="french", search_type="websearch")
    projects = (
        projects_filtered()
        .filter(territory_id=space.territory_id)
        .annotate(words=WORDS)
        .filter(words=words)
        .annotate(rank=SearchRank(WORDS, words), box=Envelope(Transform("geom", 4326)))
        .order_by("-rank", "title", "pk")[:limit]
    )
    return [
        SearchHit(
            label=project.title,
            detail=" · ".join(
                part
                for part in (
                    str(project.get_status_display()),
                    project.commune.name if project.commune_id else "",
                    project.porteur_name,
                )
                if part
            ),
            url=reverse("crowdfunding:project", args=[project.slug]),
            **place_of(project.box.extent if project.box else None),
        )
        for project in projects
    ]
