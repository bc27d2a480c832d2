# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib.gis.db.models.functions import Transform
from rest_framework import viewsets

from carto_concertation.core.geojson import GeoJsonViewMixin

from .selectors import concertation_public_list
from .serializers import ConcertationOutputSerializer


class ConcertationViewSet(GeoJsonViewMixin, viewsets.ReadOnlyModelViewSet):
    """Public concertations (GeoJSON, perimeter in WGS84) with their themes and phases."""

    serializer_class = ConcertationOutputSerializer
    lookup_field = "slug"
    filter_backends = []

    def get_queryset(self):
        return (
            concertation_public_list()
            .select_related("plui_document")
            .annotate(perimeter_wgs84=Transform("perimeter", 4326))
        )
