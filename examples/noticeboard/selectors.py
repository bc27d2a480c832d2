# SPDX-License-Identifier: AGPL-3.0-or-later
from django.db.models import QuerySet

from carto_concertation.core.modules import MapSpace

from .models import Notice


def notices_of(space: MapSpace) -> QuerySet[Notice]:
    return Notice.objects.filter(space_id=space.pk)
