# SPDX-License-Identifier: AGPL-3.0-or-later
"""The projects in the search box of a space's map (the manifest's ``search`` slot): those
of the territory's current edition whose title or description holds the words (French
full-text search), best first."""

from django.contrib.gis.db.models.functions import Envelope, Transform
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.urls import reverse

from carto_concertation.core.modules import MapSpace
from carto_concertation.core.search import SearchHit, place_of

from .selectors.projects import edition_current, projects_public

WORDS = SearchVector("title", "description", "association", config="french")


def projects_search(space: MapSpace, query: str, limit: int) -> list[SearchHit]:
    edition = edition_current(space.territory_id)
    if edition is None:
        return []
    words = SearchQuery(query, config="french", search_type="websearch")
    projects = (
        projects_public(edition)
        .annotate(words=WORDS)
        .filter(words=words)
        .annotate(rank=SearchRank(WORDS, words), box=Envelope(Transform("geom", 4326)))
        .order_by("-rank", "number")[:limit]
    )
    return [
        SearchHit(
            label=f"n° {project.number} {project.title}",
            detail=" · ".join(
                part
                for part in (
                    str(project.get_status_display()),
                    project.district.name if project.district_id else "",
                )
                if part
            ),
            url=reverse("budgets:project", args=[edition.slug, project.number]),
            **place_of(project.box.extent if project.box else None),
        )
        for project in projects
    ]
