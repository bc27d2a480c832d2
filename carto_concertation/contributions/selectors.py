# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib.gis.db.models.functions import Transform
from django.db.models import Prefetch, QuerySet

from .models import Contribution, ContributionZone

# What residents see: published and answered contributions, never those waiting for
# moderation or withdrawn.
PUBLIC_STATUSES = (
    Contribution.Status.PUBLISHED,
    Contribution.Status.UNDER_STUDY,
    *Contribution.CLOSING,
)


def _for_output(contributions: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """What the output serializer reads, in a fixed number of queries, geometry in WGS84."""
    return (
        contributions.select_related("author", "commune")
        .prefetch_related(
            "themes",
            Prefetch("zone_links", queryset=ContributionZone.objects.select_related("zone")),
        )
        .annotate(geom_wgs84=Transform("geom", 4326))
    )


def contribution_public_list(*, concertation) -> QuerySet[Contribution]:
    return _for_output(
        Contribution.objects.filter(concertation=concertation, status__in=PUBLIC_STATUSES)
    )


def contribution_get(*, pk: int) -> Contribution:
    """One contribution as its author sees it right after writing (any status)."""
    return _for_output(Contribution.objects.filter(pk=pk)).get()
