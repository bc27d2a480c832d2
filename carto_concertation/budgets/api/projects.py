# SPDX-License-Identifier: AGPL-3.0-or-later
"""The public API of the editions and their projects: thin views over the selectors and
the services (services/projects.py). A project's public shape never holds its submitter
(account, pseudonym or e-mail address): only an association's name, when one carries it."""

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from carto_concertation.core.geojson import GeoJsonViewMixin
from carto_concertation.core.parsers import DepthLimitedJSONParser
from carto_concertation.core.serializers import GeoJsonGeometryField
from carto_concertation.core.throttles import HeavyReadThrottle, ScopedRateThrottle

from ..models import District, Edition, EditionPhase, Project, ProjectPhoto
from ..selectors import projects as selectors
from ..services.projects import project_submit, project_support, project_support_withdraw
from .editions import EditionCreateMixin

COORDINATE_PRECISION = 7


class BudgetPhaseSerializer(serializers.ModelSerializer):
    is_open = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = EditionPhase
        fields = ("kind", "starts_at", "ends_at", "is_open")


class BudgetDistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ("id", "name", "code", "envelope")


class BudgetEditionSerializer(serializers.ModelSerializer):
    """An edition as residents read it: its envelope, its rules, phases and districts."""

    territory = serializers.CharField(source="territory.name", read_only=True)
    phases = serializers.SerializerMethodField()
    districts = BudgetDistrictSerializer(many=True, read_only=True)

    class Meta:
        model = Edition
        fields = (
            "slug",
            "title",
            "year",
            "territory",
            "description",
            "envelope",
            "split_by_district",
            "ballot_type",
            "min_choices",
            "max_choices",
            "within_envelope",
            "max_points_per_project",
            "max_points_total",
            "counting_rule",
            "minimum_age",
            "phases",
            "districts",
        )

    @extend_schema_field(BudgetPhaseSerializer(many=True))
    def get_phases(self, edition: Edition) -> list[dict]:
        return BudgetPhaseSerializer(selectors.phases_of(edition), many=True).data


class BudgetPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProjectPhoto
        fields = ("id", "url", "caption")

    def get_url(self, photo: ProjectPhoto) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(photo.image.url) if request else photo.image.url


PROJECT_FIELDS = (
    "number",
    "title",
    "description",
    "status",
    "status_label",
    "analysis_reason",
    "district",
    "district_id",
    "estimated_cost",
    "revised_cost",
    "cost",
    "association",
    "supporters",
    "created_at",
)


class BudgetProjectSerializer(GeoFeatureModelSerializer):
    """A project as a GeoJSON feature (WGS84), public fields only (datasets.PROJECTS)."""

    geom = GeoJsonGeometryField(
        source="geom_wgs84", read_only=True, allow_null=True, precision=COORDINATE_PRECISION
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    district = serializers.CharField(source="district.name", read_only=True, allow_null=True)
    cost = serializers.IntegerField(read_only=True)
    supporters = serializers.IntegerField(source="supporter_count", read_only=True, default=0)

    class Meta:
        model = Project
        geo_field = "geom"
        id_field = "number"
        fields = PROJECT_FIELDS


class BudgetProjectDetailSerializer(BudgetProjectSerializer):
    photos = BudgetPhotoSerializer(many=True, read_only=True)
    page = serializers.SerializerMethodField()

    class Meta(BudgetProjectSerializer.Meta):
        fields = (*PROJECT_FIELDS, "photos", "page")

    def get_page(self, project: Project) -> str:
        return reverse("budgets:project", args=[project.edition.slug, project.number])


class BudgetProjectQuerySerializer(serializers.Serializer):
    status = serializers.CharField(
        required=False, help_text=_("Statuses, separated by commas (proposed, winner…).")
    )
    district = serializers.IntegerField(required=False, min_value=1)

    def validate_status(self, value: str) -> list[str]:
        statuses = [part.strip() for part in value.split(",") if part.strip()]
        unknown = [status for status in statuses if status not in Project.Status.values]
        if unknown:
            raise serializers.ValidationError(_("Unknown status: %s.") % ", ".join(unknown)[:80])
        return statuses


class BudgetProjectInputSerializer(serializers.Serializer):
    title = serializers.CharField(trim_whitespace=False, allow_blank=True)
    description = serializers.CharField(trim_whitespace=False, allow_blank=True)
    estimated_cost = serializers.IntegerField(help_text=_("Whole euros."))
    geom = GeoJsonGeometryField(help_text=_("A GeoJSON Point or Polygon, in WGS84."))
    association = serializers.CharField(required=False, default="", allow_blank=True)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=_("Up to three photos (multipart/form-data): JPEG, PNG or WebP."),
    )


class BudgetSubmittedSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField()
    page = serializers.CharField()


class BudgetSupportSerializer(serializers.Serializer):
    supported = serializers.BooleanField()
    supporters = serializers.IntegerField()


def _edition_or_404(slug: str) -> Edition:
    edition = selectors.edition_public(slug)
    if edition is None:
        raise Http404
    return edition


def _project_or_404(edition: Edition, number: int, viewer) -> Project:
    project = selectors.project_public(edition, number, viewer)
    if project is None:
        raise Http404
    return project


class EditionListApi(EditionCreateMixin, APIView):
    """The published editions (GET, anyone); a new edition (POST, its territory's planners)."""

    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(responses=BudgetEditionSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The published editions, current first."""
        editions = selectors.editions_public().prefetch_related("districts")
        return Response(BudgetEditionSerializer(editions, many=True).data)


class EditionDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=BudgetEditionSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """A published edition: its envelope, rules, phases (which is open) and districts."""
        return Response(BudgetEditionSerializer(_edition_or_404(slug)).data)


class ProjectListApi(GeoJsonViewMixin, APIView):
    permission_classes = [AllowAny]
    parser_classes = [DepthLimitedJSONParser, MultiPartParser, FormParser]
    throttle_scope = "contribution_write"

    def get_throttles(self):
        if self.request.method == "POST":
            return [*super().get_throttles(), ScopedRateThrottle()]
        return [*super().get_throttles(), HeavyReadThrottle()]

    @extend_schema(
        parameters=[BudgetProjectQuerySerializer],
        responses=BudgetProjectSerializer(many=True),
    )
    def get(self, request: Request, slug: str) -> Response:
        """The edition's projects as a FeatureCollection, by number; filters ``status``
        (comma-separated) and ``district`` (its id)."""
        edition = _edition_or_404(slug)
        query = BudgetProjectQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        projects = selectors.projects_filtered(
            edition,
            statuses=query.validated_data.get("status"),
            district=query.validated_data.get("district"),
            viewer=request.user,
        )
        return Response(BudgetProjectSerializer(projects, many=True).data)

    @extend_schema(
        request={
            "application/json": BudgetProjectInputSerializer,
            "multipart/form-data": BudgetProjectInputSerializer,
        },
        responses={201: BudgetSubmittedSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Propose a project (signed in, while the submission phase is open)."""
        if not request.user.is_authenticated:
            raise NotAuthenticated
        edition = _edition_or_404(slug)
        params = BudgetProjectInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        project = project_submit(edition=edition, user=request.user, **params.validated_data)
        page = reverse("budgets:project", args=[edition.slug, project.number])
        return Response(
            {"number": project.number, "status": project.status, "page": page}, status=201
        )


class ProjectDetailApi(GeoJsonViewMixin, APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=BudgetProjectDetailSerializer)
    def get(self, request: Request, slug: str, number: int) -> Response:
        """A project of a published edition, with its photos."""
        project = _project_or_404(_edition_or_404(slug), number, request.user)
        return Response(BudgetProjectDetailSerializer(project, context={"request": request}).data)


class ProjectSupportApi(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "vote"

    def get_throttles(self):
        return [*super().get_throttles(), ScopedRateThrottle()]

    def _answer(self, project: Project, user) -> Response:
        return Response(
            {
                "supported": selectors.is_supporter(project, user),
                # Its own support counts for its supporter, banned or not.
                "supporters": project.supporters.filter(Q(counted=True) | Q(user=user)).count(),
            }
        )

    @extend_schema(request=None, responses=BudgetSupportSerializer)
    def post(self, request: Request, slug: str, number: int) -> Response:
        """Support a proposed or admissible project (once)."""
        if not request.user.is_authenticated:
            raise NotAuthenticated
        project = _project_or_404(_edition_or_404(slug), number, request.user)
        project_support(project=project, user=request.user)
        return self._answer(project, request.user)

    # A DELETE answers the count left (200), not DRF's default 204.
    @extend_schema(request=None, responses={200: BudgetSupportSerializer})
    def delete(self, request: Request, slug: str, number: int) -> Response:
        """Withdraw one's support."""
        if not request.user.is_authenticated:
            raise NotAuthenticated
        project = _project_or_404(_edition_or_404(slug), number, request.user)
        project_support_withdraw(project=project, user=request.user)
        return self._answer(project, request.user)
