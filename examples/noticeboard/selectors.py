# SPDX-License-Identifier: AGPL-3.0-or-later
from django.db.models import QuerySet

from carto_concertation.core.modules import MapSpace, space_public

from .models import Notice


def board_space(slug: str) -> MapSpace | None:
    """The space residents see under this slug, whatever its kind (the registry's lookup)."""
    return space_public(slug)


def notices_of(space: MapSpace) -> QuerySet[Notice]:
    return Notice.objects.filter(space_id=space.pk)
