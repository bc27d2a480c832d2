# SPDX-License-Identifier: AGPL-3.0-or-later
"""Read-only API of territories and communes (public reference data, GeoJSON)."""

import django_filters
from rest_framework import viewsets

from carto_concertation.core.geojson import GeoJsonPagination, GeoJsonViewMixin
from carto_concertation.core.throttles import HEAVY_READ_THROTTLES

from . import selectors
from .serializers import CommuneOutputSerializer, TerritoryOutputSerializer


class BoundaryPagination(GeoJsonPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class CommuneFilter(django_filters.FilterSet):
    territory = django_filters.CharFilter(field_name="territory__siren", label="SIREN")
    insee = django_filters.CharFilter(field_name="insee")


class TerritoryViewSet(GeoJsonViewMixin, viewsets.ReadOnlyModelViewSet):
    """Boundaries with all their vertices: heavy reads."""

    throttle_classes = HEAVY_READ_THROTTLES
    serializer_class = TerritoryOutputSerializer
    pagination_class = BoundaryPagination
    lookup_field = "siren"
    queryset = selectors.territory_list()


class CommuneViewSet(GeoJsonViewMixin, viewsets.ReadOnlyModelViewSet):
    """Boundaries with all their vertices: heavy reads."""

    throttle_classes = HEAVY_READ_THROTTLES
    serializer_class = CommuneOutputSerializer
    pagination_class = BoundaryPagination
    filterset_class = CommuneFilter
    lookup_field = "insee"
    queryset = selectors.commune_list()
