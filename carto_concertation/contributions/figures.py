# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas counted per commune and per PLU/PLUi zone of a space
(core.modules.FigureDeclaration): the public ones, as the map shows them."""

from django.db.models import Count

from carto_concertation.core.modules import MapSpace
from plui_documents.models import UrbanDocument

from .models import Contribution, ContributionZone
from .selectors import PUBLIC_STATUSES


def ideas_per_commune(space: MapSpace) -> dict[int, int]:
    return dict(
        Contribution.objects.filter(
            concertation_id=space.pk, status__in=PUBLIC_STATUSES, commune__isnull=False
        )
        .order_by()
        .values("commune")
        .annotate(count=Count("pk"))
        .values_list("commune", "count")
    )


def ideas_per_zone(space: MapSpace) -> dict[int, int]:
    """An idea over two zones counts once in each (as the dashboard counts it)."""
    if space.zoning_document_id is None:
        return {}
    return dict(
        ContributionZone.objects.filter(
            contribution__concertation_id=space.pk,
            contribution__status__in=PUBLIC_STATUSES,
            zone__version_id=UrbanDocument.objects.filter(pk=space.zoning_document_id).values(
                "current_version_id"
            )[:1],
        )
        .order_by()
        .values("zone")
        .annotate(count=Count("contribution"))
        .values_list("zone", "count")
    )
