# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up's API: a project's news of the works (GET public and paginated; POST by
its porteur or the territory's agents, multipart with an optional photo) and following
a project (POST/DELETE, signed in). A project the public does not see is not found
(404); a write by someone who may not is a 403; bad input a 400 naming the field,
nothing written."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.parsers import DepthLimitedJSONParser
from carto_concertation.core.throttles import ScopedRateThrottle

from ..models import Project, WorksUpdate
from ..selectors.followup import followers_count, project_news
from ..selectors.projects import project_managed, project_public
from ..services.followup import TEXT_MAX, project_follow, project_unfollow, works_news_post


def _public_or_404(slug: str) -> Project:
    project = project_public(slug)
    if project is None:
        raise Http404
    return project


class CrowdfundingNewsSerializer(serializers.ModelSerializer):
    """A news of the works, as the public reads it (its author is never named)."""

    photo = serializers.SerializerMethodField()

    class Meta:
        model = WorksUpdate
        fields = ["id", "date", "text", "photo", "inaugurated", "created_at"]

    def get_photo(self, update: WorksUpdate) -> str | None:
        if not update.photo:
            return None
        return reverse("crowdfunding:news-photo", args=[update.project.slug, update.pk])


class CrowdfundingNewsInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    text = serializers.CharField(max_length=TEXT_MAX, trim_whitespace=False)
    photo = serializers.ImageField(required=False, allow_null=True)
    inaugurated = serializers.BooleanField(required=False, default=False)


class CrowdfundingFollowOutputSerializer(serializers.Serializer):
    following = serializers.BooleanField()
    followers = serializers.IntegerField()


class CrowdfundingNewsPageSerializer(serializers.Serializer):
    """A page of news (NewsPagination's answer)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CrowdfundingNewsSerializer(many=True)


class NewsPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class ProjectNewsApi(APIView):
    """GET: a project's news of the works, the newest first (paginated). POST: add one
    (its porteur or the territory's agents)."""

    permission_classes = [AllowAny]
    parser_classes = [DepthLimitedJSONParser, MultiPartParser, FormParser]
    throttle_scope = "crowdfunding_news"

    def get_throttles(self):
        throttles = super().get_throttles()
        return [*throttles, ScopedRateThrottle()] if self.request.method == "POST" else throttles

    @extend_schema(
        parameters=[
            OpenApiParameter("page", int, description="The page, from 1."),
            OpenApiParameter("page_size", int, description="News per page (at most 100)."),
        ],
        responses={200: CrowdfundingNewsPageSerializer},
    )
    def get(self, request: Request, slug: str) -> Response:
        project = _public_or_404(slug)
        paginator = NewsPagination()
        page = paginator.paginate_queryset(
            project_news(project, request.user).select_related("project"), request, view=self
        )
        return paginator.get_paginated_response(CrowdfundingNewsSerializer(page, many=True).data)

    @extend_schema(
        request={
            "application/json": CrowdfundingNewsInputSerializer,
            "multipart/form-data": CrowdfundingNewsInputSerializer,
        },
        responses={201: CrowdfundingNewsSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        if not request.user.is_authenticated:
            self.permission_denied(request)
        project = project_managed(request.user, slug)
        if project is None:
            # A public project says "not yours"; one the public does not see, nothing.
            _public_or_404(slug)
            self.permission_denied(request)
        given = CrowdfundingNewsInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        update = works_news_post(user=request.user, project=project, **given.validated_data)
        return Response(CrowdfundingNewsSerializer(update).data, status=201)


class ProjectFollowApi(APIView):
    """POST: follow a project (hear of its news). DELETE: stop following it."""

    permission_classes = [IsAuthenticated]
    throttle_scope = "crowdfunding_follow"
    throttle_classes = [ScopedRateThrottle]

    def _answer(self, project: Project, following: bool) -> Response:
        return Response({"following": following, "followers": followers_count(project)})

    @extend_schema(request=None, responses={200: CrowdfundingFollowOutputSerializer})
    def post(self, request: Request, slug: str) -> Response:
        project = _public_or_404(slug)
        project_follow(user=request.user, project=project)
        return self._answer(project, True)

    @extend_schema(request=None, responses={200: CrowdfundingFollowOutputSerializer})
    def delete(self, request: Request, slug: str) -> Response:
        project = _public_or_404(slug)
        project_unfollow(user=request.user, project=project)
        return self._answer(project, False)
