# SPDX-License-Identifier: AGPL-3.0-or-later
"""Read-only API of territories and communes (public reference data, GeoJSON)."""

import django_filters
from rest_framework import viewsets
from rest_framework_gis.pagination import GeoJsonPagination

from . import selectors
from .serializers import CommuneOutputSerializer, TerritoryOutputSerializer


class BoundaryPagination(GeoJsonPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class CommuneFilter(django_filters.FilterSet):
    territory = django_filters.CharFilter(field_name="territory__siren", label="SIREN")
    insee = django_filters.CharFilter(field_name="insee")


class TerritoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TerritoryOutputSerializer
    pagination_class = BoundaryPagination
    lookup_field = "siren"
    queryset = selectors.territory_list()


class CommuneViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CommuneOutputSerializer
    pagination_class = BoundaryPagination
    filterset_class = CommuneFilter
    lookup_field = "insee"
    queryset = selectors.commune_list()
