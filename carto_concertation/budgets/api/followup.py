# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up's API: a winner's news (GET public; POST by the edition's services,
multipart with an optional photo), following a winner (POST/DELETE, signed in), and the
achievements of every published edition as GeoJSON (public fields only).
A project that is not a winner of a published edition is not found (404); a write by
someone who may not is a 403; bad input a 400 naming the field, nothing written."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from carto_concertation.core.geojson import GeoJsonViewMixin
from carto_concertation.core.parsers import DepthLimitedJSONParser
from carto_concertation.core.serializers import GeoJsonGeometryField
from carto_concertation.core.throttles import ScopedRateThrottle

from ..models import Project, ProjectUpdate
from ..selectors.followup import achievements, followed_project, project_news, realisation_of
from ..services.followup import (
    REASON_MAX,
    TEXT_MAX,
    project_follow,
    project_unfollow,
    project_update_add,
)

COORDINATE_PRECISION = 7


def _project(slug: str, number: int) -> Project:
    project = followed_project(slug=slug, number=number)
    if project is None:
        raise Http404
    return project


class BudgetProjectNewsSerializer(serializers.ModelSerializer):
    """A news of a winner, as the public reads it (its author is never named)."""

    photo = serializers.SerializerMethodField()

    class Meta:
        model = ProjectUpdate
        fields = ["id", "date", "text", "photo", "realisation", "progress", "created_at"]

    def get_photo(self, update: ProjectUpdate) -> str | None:
        if not update.photo:
            return None

        project = update.project
        return reverse("budgets:news-photo", args=[project.edition.slug, project.number, update.pk])


class BudgetProjectNewsInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    text = serializers.CharField(max_length=TEXT_MAX)
    photo = serializers.ImageField(required=False, allow_null=True)
    realisation = serializers.ChoiceField(
        choices=Project.Realisation.choices, required=False, allow_blank=True, default=""
    )
    progress = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True, default=None
    )
    abandon_reason = serializers.CharField(
        max_length=REASON_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when the news abandons the project."),
    )


class BudgetFollowOutputSerializer(serializers.Serializer):
    following = serializers.BooleanField()
    followers = serializers.IntegerField()


class ProjectNewsApi(APIView):
    """GET: a winner's news, the latest first. POST: add one (the edition's services)."""

    permission_classes = [AllowAny]
    parser_classes = [DepthLimitedJSONParser, MultiPartParser, FormParser]
    throttle_scope = "budget_followup"

    def get_throttles(self):
        throttles = super().get_throttles()
        return [*throttles, ScopedRateThrottle()] if self.request.method == "POST" else throttles

    @extend_schema(responses={200: BudgetProjectNewsSerializer(many=True)})
    def get(self, request: Request, slug: str, number: int) -> Response:
        project = _project(slug, number)
        news = project_news(project).select_related("project__edition")
        return Response(BudgetProjectNewsSerializer(news, many=True).data)

    @extend_schema(
        request={
            "application/json": BudgetProjectNewsInputSerializer,
            "multipart/form-data": BudgetProjectNewsInputSerializer,
        },
        responses={201: BudgetProjectNewsSerializer},
    )
    def post(self, request: Request, slug: str, number: int) -> Response:
        if not request.user.is_authenticated:
            self.permission_denied(request)
        project = _project(slug, number)
        if not request.user.has_perm("budgets.run", project.edition):
            self.permission_denied(request)
        given = BudgetProjectNewsInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        update = project_update_add(project, user=request.user, **given.validated_data)
        return Response(BudgetProjectNewsSerializer(update).data, status=201)


class ProjectFollowApi(APIView):
    """POST: follow a winner (hear of its news). DELETE: stop following it."""

    permission_classes = [IsAuthenticated]
    throttle_scope = "budget_follow"
    throttle_classes = [ScopedRateThrottle]

    def _answer(self, project: Project, following: bool) -> Response:
        return Response({"following": following, "followers": project.followers.count()})

    @extend_schema(request=None, responses={200: BudgetFollowOutputSerializer})
    def post(self, request: Request, slug: str, number: int) -> Response:
        project = _project(slug, number)
        project_follow(project, user=request.user)
        return self._answer(project, True)

    @extend_schema(request=None, responses={200: BudgetFollowOutputSerializer})
    def delete(self, request: Request, slug: str, number: int) -> Response:
        project = _project(slug, number)
        project_unfollow(project, user=request.user)
        return self._answer(project, False)


class BudgetAchievementSerializer(GeoFeatureModelSerializer):
    """A winner as a GeoJSON feature (WGS84), public fields only."""

    geom = GeoJsonGeometryField(source="geom_wgs84", read_only=True, precision=COORDINATE_PRECISION)
    edition = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    edition_title = serializers.CharField(source="edition.title", read_only=True)
    year = serializers.IntegerField(source="edition.year", read_only=True)
    realisation = serializers.SerializerMethodField()
    last_news = serializers.DateField(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        geo_field = "geom"
        fields = (
            "id",
            "edition",
            "edition_title",
            "year",
            "number",
            "title",
            "status",
            "realisation",
            "progress",
            "abandon_reason",
            "last_news",
            "url",
        )

    def get_realisation(self, project: Project) -> str:
        return realisation_of(project)

    def get_url(self, project: Project) -> str:

        return reverse("budgets:project-followup", args=[project.edition.slug, project.number])


class AchievementsApi(GeoJsonViewMixin, generics.ListAPIView):
    """The winners of every published edition with where they stand (GeoJSON); filters
    ``edition`` (slug) and ``realisation``."""

    serializer_class = BudgetAchievementSerializer
    permission_classes = [AllowAny]
    pagination_class = None

    def get_queryset(self):
        realisation = self.request.query_params.get("realisation", "")
        if realisation and realisation not in Project.Realisation.values:
            raise serializers.ValidationError(
                {"realisation": [_("This realisation does not exist.")]}
            )
        return achievements(
            edition=self.request.query_params.get("edition", ""), realisation=realisation
        )
