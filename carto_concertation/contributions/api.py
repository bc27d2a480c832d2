# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib.gis.db.models.functions import Transform
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_gis.pagination import GeoJsonPagination

from carto_concertation.concertations.selectors import concertation_public_list

from . import selectors, services
from .models import Contribution
from .serializers import ContributionInputSerializer, ContributionOutputSerializer


class ContributionPagination(GeoJsonPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class ContributionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The published contributions of a concertation (GeoJSON); residents add theirs."""

    serializer_class = ContributionOutputSerializer
    pagination_class = ContributionPagination
    permission_classes = [IsAuthenticatedOrReadOnly]
    throttle_scope = "contribution_write"

    def get_throttles(self):
        if self.request.method == "POST":
            return [ScopedRateThrottle()]
        return super().get_throttles()

    def concertation(self):
        return get_object_or_404(concertation_public_list(), slug=self.kwargs["concertation_slug"])

    def get_queryset(self):
        return selectors.contribution_public_list(concertation=self.concertation())

    @extend_schema(
        request=ContributionInputSerializer, responses={201: ContributionOutputSerializer}
    )
    def create(self, request, concertation_slug: str):
        params = ContributionInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        contribution = services.contribution_create(
            concertation=self.concertation(),
            author=request.user,
            title=params.validated_data["title"],
            text=params.validated_data["text"],
            geometry=params.validated_data["geometry"],
            theme_ids=params.validated_data["themes"],
        )
        created = (
            Contribution.objects.annotate(geom_wgs84=Transform("geom", 4326))
            .select_related("author", "commune")
            .prefetch_related("themes", "zone_links__zone")
            .get(pk=contribution.pk)
        )
        return Response(ContributionOutputSerializer(created).data, status=201)
