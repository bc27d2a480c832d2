# SPDX-License-Identifier: AGPL-3.0-or-later
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
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
        created = selectors.contribution_get(pk=contribution.pk)
        return Response(ContributionOutputSerializer(created).data, status=201)


class VoteInputSerializer(serializers.Serializer):
    value = serializers.IntegerField(
        min_value=-2, max_value=2, help_text=_("+1 support/for, −1 against, −2…+2 rating.")
    )


class VoteApi(APIView):
    """My opinion on a contribution: PUT to give or change it, DELETE to withdraw it."""

    permission_classes = [IsAuthenticated]
    throttle_scope = "vote"
    throttle_classes = [ScopedRateThrottle]

    def contribution(self, slug: str, pk: int) -> Contribution:
        return get_object_or_404(Contribution, pk=pk, concertation__slug=slug)

    @extend_schema(request=VoteInputSerializer, responses={200: OpenApiTypes.OBJECT})
    def put(self, request, concertation_slug: str, pk: int) -> Response:
        params = VoteInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        contribution = self.contribution(concertation_slug, pk)
        services.vote_cast(
            contribution=contribution, voter=request.user, value=params.validated_data["value"]
        )
        return Response(_tallies(contribution.pk))

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def delete(self, request, concertation_slug: str, pk: int) -> Response:
        contribution = self.contribution(concertation_slug, pk)
        services.vote_withdraw(contribution=contribution, voter=request.user)
        return Response(_tallies(contribution.pk))


def _tallies(contribution_id: int) -> dict:
    return Contribution.objects.values(
        "votes_for", "votes_against", "rating_sum", "rating_count"
    ).get(pk=contribution_id)
