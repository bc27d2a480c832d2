# SPDX-License-Identifier: AGPL-3.0-or-later
"""The reports in the search box of a space's map (the manifest's ``search`` slot): those
its map shows whose description, address or category holds the words (French full-text
search), best first, most recent first among equals; never a private, hidden or
unconfirmed one."""

from django.contrib.gis.db.models.functions import Envelope, Transform
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

from carto_concertation.core.modules import MapSpace
from carto_concertation.core.search import SearchHit, place_of

from .figures import reports_of_space
from .links import report_url

WORDS = SearchVector(
    "description", "address", "category__name", "category__parent__name", config="french"
)


def reports_search(space: MapSpace, query: str, limit: int) -> list[SearchHit]:
    words = SearchQuery(query, config="french", search_type="websearch")
    reports = (
        reports_of_space(space)
        .annotate(words=WORDS)
        .filter(words=words)
        .annotate(rank=SearchRank(WORDS, words), box=Envelope(Transform("geom", 4326)))
        .select_related("category", "commune")
        .order_by("-rank", "-created_at", "-pk")[:limit]
    )
    return [
        SearchHit(
            label=f"#{report.pk} {report.category.name}",
            detail=" · ".join(
                part
                for part in (
                    str(report.get_state_display()),
                    report.address or (report.commune and report.commune.name),
                )
                if part
            ),
            url=report_url(report.pk),
            **place_of(report.box.extent),
        )
        for report in reports
    ]
