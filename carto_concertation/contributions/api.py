# SPDX-License-Identifier: AGPL-3.0-or-later
"""Contributions of a concertation: GeoJSON list with filters, create, edit, withdraw,
photos, near-duplicates, votes. Debate and moderation endpoints: moderation_api.py."""

from django.contrib.gis.geos import Point
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiTypes, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.selectors import concertation_public_list
from carto_concertation.core.geojson import GeoJsonPagination, GeoJsonViewMixin
from carto_concertation.core.parsers import DepthLimitedJSONParser
from carto_concertation.core.serializers import EXAMPLE as GEOMETRY_EXAMPLE
from carto_concertation.core.throttles import (
    HeavyReadThrottle,
    ScopedRateThrottle,
    WriteThrottleMixin,
)
from carto_concertation.territories.selectors import module_on

from . import photos, selectors, services
from .filters import ORDERINGS, ContributionFilter
from .geometry import contribution_geometry_check
from .list_features import contribution_features
from .manifest import IDEAS
from .models import Contribution, ContributionPhoto
from .serializers import (
    ContributionInputSerializer,
    ContributionOutputSerializer,
    ContributionUpdateSerializer,
    PhotoInputSerializer,
    PhotoOutputSerializer,
    SimilarOutputSerializer,
    SimilarQuerySerializer,
)
from .tallies import TALLIES, as_its_voter_reads, as_read_by, with_own_vote

PHOTO_CACHE_SECONDS = 86400


class ContributionPagination(GeoJsonPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


def concertations_with_ideas():
    """The public concertations that hold an ideas map, in the territories where the ideas
    module is on (elsewhere the ideas' API answers 404: territories.selectors.module_on)."""
    return concertation_public_list().filter(module_on(IDEAS.name), modules__module=IDEAS.name)


class ConcertationMixin:
    def concertation(self) -> Concertation:
        if not hasattr(self, "_concertation"):
            self._concertation = get_object_or_404(
                concertations_with_ideas(), slug=self.kwargs["concertation_slug"]
            )
        return self._concertation

    def concertation_id(self) -> int:
        """The public concertation's id alone: one query, no perimeter read."""
        found = concertations_with_ideas().filter(slug=self.kwargs["concertation_slug"])
        pk = found.values_list("pk", flat=True).first()
        if pk is None:
            raise Http404
        return pk

    def contribution_status(self, pk: int) -> Contribution:
        """The contribution of this public concertation with its status and ids alone:
        what reading its debate needs (two queries, where the whole idea and its space
        took five and parsed its geometries)."""
        return get_object_or_404(
            Contribution.objects.only("concertation_id", "status"),
            pk=pk,
            concertation_id=self.concertation_id(),
        )

    def contribution_of_concertation(self, pk: int) -> Contribution:
        return get_object_or_404(
            Contribution.objects.select_related("concertation__territory"),
            pk=pk,
            concertation=self.concertation(),
        )


class ContributionViewSet(
    GeoJsonViewMixin,
    WriteThrottleMixin,
    ConcertationMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The contributions of a concertation (GeoJSON); residents add and edit theirs.

    Listed: published and answered ideas, the placeholders of hidden ones (with the
    moderation's reason) and the pointers merged ones leave to the idea they joined.
    The list and the near-duplicates search count against the heavy-read rate.
    """

    serializer_class = ContributionOutputSerializer
    pagination_class = ContributionPagination
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = [DepthLimitedJSONParser, MultiPartParser, FormParser]
    filterset_class = ContributionFilter
    throttle_scope = "contribution_write"

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action in ("list", "similar"):
            return [*throttles, HeavyReadThrottle()]
        return throttles

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema's generation
            return Contribution.objects.none()
        # Without ``ordering`` the most recent first too, ties broken by id: the model's
        # order alone left ties to the query plan, and an idea could change page.
        return selectors.contribution_public_list(concertation=self.concertation_id()).order_by(
            *ORDERINGS["recent"]
        )

    def list(self, request, concertation_slug: str):
        """The serializer's output for a page, built by PostgreSQL (list_features.py):
        the page's ids in the filters' order, then their features in one statement."""
        contributions = self.filter_queryset(self.get_queryset())
        ids = self.paginate_queryset(contributions.values_list("pk", flat=True))
        features = contribution_features(ids=ids, request=request)
        return self.get_paginated_response({"features": features})

    def retrieve(self, request, concertation_slug: str, pk: int):
        contribution = self.contribution_of_concertation(pk)
        if not selectors.contribution_visible_to(contribution=contribution, user=request.user):
            raise Http404
        return self._feature(contribution.pk)

    def _feature(self, pk: int, status: int = 200) -> Response:
        """One idea as the list gives it, written by PostgreSQL (list_features.py): the
        serializer's way read it again with its themes, zones and photos and parsed its
        geometries, a fifth of an idea's posting."""
        (feature,) = contribution_features(ids=[pk], request=self.request)
        return Response(feature, status=status)

    @extend_schema(
        request={
            "application/json": ContributionInputSerializer,
            "multipart/form-data": ContributionInputSerializer,
        },
        responses={201: ContributionOutputSerializer},
        examples=[
            OpenApiExample(
                "An idea in Sancoins",
                value={
                    "title": "Un abri vélo près de l'école",
                    "text": "Les enfants viennent à vélo mais n'ont pas d'abri.",
                    "themes": [],
                    "geometry": GEOMETRY_EXAMPLE,
                },
                request_only=True,
                media_type="application/json",
            )
        ],
    )
    def create(self, request, concertation_slug: str):
        params = ContributionInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        contribution = services.contribution_create(
            concertation=self.concertation(),
            author=request.user,
            title=data["title"],
            text=data["text"],
            geometry=data["geometry"],
            theme_ids=data["themes"],
            photos=data["photos"],
        )
        return self._feature(contribution.pk, status=201)

    @extend_schema(
        request=ContributionUpdateSerializer, responses={200: ContributionOutputSerializer}
    )
    def partial_update(self, request, concertation_slug: str, pk: int):
        """Its author changes an idea during the open phase, until it is studied."""
        params = ContributionUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        services.contribution_update(
            contribution=self.contribution_of_concertation(pk),
            user=request.user,
            title=data.get("title"),
            text=data.get("text"),
            theme_ids=data.get("themes"),
            geometry=data.get("geometry"),
        )
        return self._feature(pk)

    @extend_schema(request=None, responses={200: ContributionOutputSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, concertation_slug: str, pk: int):
        """Its author withdraws an idea during the open phase, until it is answered."""
        services.contribution_withdraw(
            contribution=self.contribution_of_concertation(pk), user=request.user
        )
        return self._feature(pk)

    @extend_schema(
        parameters=[SimilarQuerySerializer], responses={200: SimilarOutputSerializer(many=True)}
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def similar(self, request, concertation_slug: str):
        """Published ideas close to a draft (within the concertation's near-duplicate
        distance) that say something similar: support one rather than file a twin."""
        params = SimilarQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        geometry = data.get("geometry") or Point(data["lon"], data["lat"], srid=4326)
        concertation = self.concertation()
        stored = contribution_geometry_check(concertation=concertation, geometry=geometry)
        similar = selectors.contribution_similar(
            concertation=concertation,
            geometry=stored,
            text=f"{data['title']} {data['text']}".strip(),
            viewer=request.user,
        )
        as_read_by(similar, _vote_mode)
        return Response(SimilarOutputSerializer(similar, many=True).data)


class PhotoListApi(ConcertationMixin, APIView):
    """Its author adds a photo to a contribution (multipart, field ``image``)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
    throttle_scope = "contribution_write"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(
        request={"multipart/form-data": PhotoInputSerializer},
        responses={201: PhotoOutputSerializer},
    )
    def post(self, request, concertation_slug: str, pk: int) -> Response:
        params = PhotoInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        photo = photos.photo_add(
            contribution=self.contribution_of_concertation(pk),
            user=request.user,
            upload=params.validated_data["image"],
        )
        return Response(PhotoOutputSerializer(photo, context={"request": request}).data, 201)


class PhotoDetailApi(ConcertationMixin, APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "contribution_write"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, concertation_slug: str, pk: int, photo_pk: int) -> Response:
        """Its author removes a photo during the open phase."""
        photo = get_object_or_404(
            ContributionPhoto, pk=photo_pk, contribution=self.contribution_of_concertation(pk)
        )
        photos.photo_delete(photo=photo, user=request.user)
        return Response(status=204)


class PhotoFileApi(APIView):
    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    def get(self, request, pk: int) -> FileResponse:
        """A photo of a published contribution (re-encoded JPEG, without metadata); of an
        idea not shown, for its author and the moderators and planners of its territory
        only, kept in no shared cache."""
        photo = selectors.photo_public_get(pk=pk)
        cache_control = f"public, max-age={PHOTO_CACHE_SECONDS}"
        if photo is None:
            photo = selectors.photo_restricted_get(pk=pk, user=request.user)
            cache_control = "private, no-store"
        if photo is None:
            raise Http404
        response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = cache_control
        return response


class VoteInputSerializer(serializers.Serializer):
    value = serializers.IntegerField(
        min_value=-2, max_value=2, help_text=_("+1 support/for, −1 against, −2…+2 rating.")
    )


class TalliesSerializer(serializers.Serializer):
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    rating_sum = serializers.IntegerField()
    rating_count = serializers.IntegerField()


class VoteApi(APIView):
    """My opinion on a contribution: PUT to give or change it, DELETE to withdraw it."""

    permission_classes = [IsAuthenticated]
    throttle_scope = "vote"
    throttle_classes = [ScopedRateThrottle]

    def contribution(self, slug: str, pk: int) -> Contribution:
        return get_object_or_404(
            Contribution.objects.filter(module_on(IDEAS.name, "concertation__territory")),
            pk=pk,
            concertation__slug=slug,
        )

    @extend_schema(request=VoteInputSerializer, responses={200: TalliesSerializer})
    def put(self, request, concertation_slug: str, pk: int) -> Response:
        params = VoteInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        contribution = self.contribution(concertation_slug, pk)
        services.vote_cast(
            contribution=contribution, voter=request.user, value=params.validated_data["value"]
        )
        return Response(_tallies(contribution, request.user))

    @extend_schema(request=None, responses={200: TalliesSerializer})
    def delete(self, request, concertation_slug: str, pk: int) -> Response:
        contribution = self.contribution(concertation_slug, pk)
        services.vote_withdraw(contribution=contribution, voter=request.user)
        return Response(_tallies(contribution, request.user))


def _vote_mode(idea: Contribution) -> str:
    return selectors.ideas_settings_of(idea.concertation_id).vote_mode


def _tallies(contribution: Contribution, voter) -> dict:
    """The idea's tallies as its voter reads them (tallies.py)."""
    ideas = with_own_vote(Contribution.objects.filter(pk=contribution.pk), voter)
    read = ideas.values(*TALLIES, "own_uncounted").get()
    if read["own_uncounted"] is not None:
        as_its_voter_reads(read, _vote_mode(contribution), read["own_uncounted"])
    return {field: read[field] for field in TALLIES}
