# SPDX-License-Identifier: AGPL-3.0-or-later
"""The API of a project before its campaign: submit it, list one's own, read and change
it (its porteur, the territory's agents), accept or refuse it (the agents). Thin views
over the services (services/projects.py); the place comes and goes as GeoJSON (WGS84).

A project one may not work on answers 404 whether it exists or not; one that one may
read but not change as asked answers 403."""

import json

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.openapi_geometry import any_geometry_schema
from carto_concertation.core.parsers import DepthLimitedJSONParser
from carto_concertation.core.serializers import GeoJsonGeometryField
from carto_concertation.core.throttles import ScopedRateThrottle
from carto_concertation.core.wgs84 import wgs84
from carto_concertation.territories.selectors import module_on_in

from ..models import Project, ProjectPhoto
from ..selectors.projects import project_managed
from ..selectors.submission import MODULE, portal_territories, projects_submitted_by
from ..services.project_fields import PORTEUR_FIELDS, SUPPORT_FIELDS
from ..services.projects import project_accept, project_edit, project_refuse, project_submit

WGS84 = 4326
COORDINATE_PRECISION = 7


class CrowdfundingPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProjectPhoto
        fields = ("id", "url", "caption")

    def get_url(self, photo: ProjectPhoto) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(photo.image.url) if request else photo.image.url


# What the porteur writes and what the agents add, then the project's review.
MANAGED_FIELDS = (
    "slug",
    "territory",
    "commune",
    *PORTEUR_FIELDS,
    *SUPPORT_FIELDS,
    "status",
    "status_label",
    "refusal_reason",
    "decided_at",
    "created_at",
    "photos",
    "page",
)


class CrowdfundingManagedProjectSerializer(serializers.ModelSerializer):
    """A project as its porteur and the agents see it (never who submitted it, nor who
    decided: accounts stay out of the API)."""

    territory = serializers.CharField(source="territory.name", read_only=True)
    commune = serializers.CharField(source="commune.name", read_only=True, allow_null=True)
    geom = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    photos = CrowdfundingPhotoSerializer(many=True, read_only=True)
    page = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = MANAGED_FIELDS

    @extend_schema_field(any_geometry_schema())
    def get_geom(self, project: Project) -> dict:
        place = wgs84(project.geom)
        return json.loads(place.json)

    def get_page(self, project: Project) -> str | None:
        """The public page once the project is public (the portal's), else none."""
        if not project.is_public:
            return None
        try:
            return reverse("crowdfunding:project", args=[project.slug])
        except NoReverseMatch:  # the portal's page is not installed
            return None


class CrowdfundingProjectEditSerializer(serializers.Serializer):
    """What a porteur gives; each field is checked again by the services, which name it."""

    title = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    summary = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    description = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    theme = serializers.ChoiceField(choices=Project.Theme.choices, required=False)
    geom = GeoJsonGeometryField(
        required=False, help_text=gettext_lazy("A GeoJSON Point or Polygon, in WGS84.")
    )
    porteur_kind = serializers.ChoiceField(choices=Project.PorteurKind.choices, required=False)
    porteur_name = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    modality = serializers.ChoiceField(choices=Project.Modality.choices, required=False)
    interest_rate = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("A loan with interest: its rate, in % a year."),
    )
    loan_months = serializers.IntegerField(
        required=False, allow_null=True, help_text=gettext_lazy("A loan: its length in months.")
    )
    goal = serializers.IntegerField(required=False, help_text=gettext_lazy("Whole euros."))
    total_budget = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The whole budget of the project, in euros."),
    )
    campaign_starts_on = serializers.DateField(required=False)
    campaign_ends_on = serializers.DateField(required=False)
    platform = serializers.ChoiceField(choices=Project.Platform.choices, required=False)
    platform_name = serializers.CharField(required=False, allow_blank=True)
    campaign_url = serializers.CharField(
        required=False, help_text=gettext_lazy("The campaign's page on the platform (https).")
    )


class CrowdfundingProjectSubmitSerializer(CrowdfundingProjectEditSerializer):
    territory = serializers.IntegerField(
        required=False,
        help_text=gettext_lazy("The territory's id, when the portal has several."),
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=gettext_lazy("Up to five photos (multipart/form-data): JPEG, PNG or WebP."),
    )


class CrowdfundingProjectAgentEditSerializer(CrowdfundingProjectEditSerializer):
    """The agents also set the collectivité's support."""

    supported = serializers.BooleanField(required=False)
    cofunding = serializers.IntegerField(required=False, allow_null=True)
    public_meeting_on = serializers.DateField(required=False, allow_null=True)
    public_meeting_place = serializers.CharField(required=False, allow_blank=True)


class CrowdfundingRefusalSerializer(serializers.Serializer):
    reason = serializers.CharField(
        trim_whitespace=False,
        allow_blank=True,
        help_text=gettext_lazy("Shown in public with the project."),
    )


def _territory_chosen(territory_id: int | None):
    """The portal's territory: the one asked for, or the only one there is."""
    territories = portal_territories()
    if territory_id is not None:
        territory = territories.filter(pk=territory_id).first()
        if territory is None:
            raise ValidationError({"territory": [_("No crowdfunding portal in this territory.")]})
        return territory
    found = list(territories[:2])
    if len(found) != 1:
        raise ValidationError({"territory": [_("Choose the territory of the project.")]})
    return found[0]


def _managed_or_404(request: Request, slug: str) -> Project:
    project = project_managed(request.user, slug)
    if project is None or not module_on_in(project.territory, MODULE):
        raise Http404
    return project


def _answer(project: Project, request: Request, status: int = 200) -> Response:
    serializer = CrowdfundingManagedProjectSerializer(project, context={"request": request})
    return Response(serializer.data, status=status)


class ProjectSubmitApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [DepthLimitedJSONParser, MultiPartParser, FormParser]
    throttle_scope = "contribution_write"

    def get_throttles(self):
        return [*super().get_throttles(), ScopedRateThrottle()]

    @extend_schema(
        request={
            "application/json": CrowdfundingProjectSubmitSerializer,
            "multipart/form-data": CrowdfundingProjectSubmitSerializer,
        },
        responses={201: CrowdfundingManagedProjectSerializer},
    )
    def post(self, request: Request) -> Response:
        """Submit a project to the portal (signed in): the territory's agents accept it
        or refuse it. The money goes through the platform, never through this server."""
        params = CrowdfundingProjectSubmitSerializer(data=request.data, partial=True)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        territory = _territory_chosen(data.pop("territory", None))
        photos = data.pop("photos", [])
        project = project_submit(user=request.user, territory=territory, data=data, photos=photos)
        return _answer(project, request, status=201)


class ProjectsMineApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CrowdfundingManagedProjectSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The projects one submitted, the latest first, each with its status (and the
        reason of a refusal)."""
        projects = projects_submitted_by(request.user).prefetch_related("photos")
        serializer = CrowdfundingManagedProjectSerializer(
            projects, many=True, context={"request": request}
        )
        return Response(serializer.data)


class ProjectManageApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [DepthLimitedJSONParser]

    @extend_schema(responses=CrowdfundingManagedProjectSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """A project one may work on (its porteur, the territory's agents)."""
        return _answer(_managed_or_404(request, slug), request)

    @extend_schema(
        request=CrowdfundingProjectAgentEditSerializer,
        responses=CrowdfundingManagedProjectSerializer,
    )
    def patch(self, request: Request, slug: str) -> Response:
        """Change a project: its porteur while it waits for the decision, the agents
        until its campaign starts (they alone set the support fields)."""
        project = _managed_or_404(request, slug)
        params = CrowdfundingProjectAgentEditSerializer(data=request.data, partial=True)
        params.is_valid(raise_exception=True)
        project = project_edit(user=request.user, project=project, data=params.validated_data)
        return _answer(project, request)


class ProjectAcceptApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=CrowdfundingManagedProjectSerializer)
    def post(self, request: Request, slug: str) -> Response:
        """Accept a submitted project on the portal (the territory's agents)."""
        project = project_accept(user=request.user, project=_managed_or_404(request, slug))
        return _answer(project, request)


class ProjectRefuseApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [DepthLimitedJSONParser, FormParser]

    @extend_schema(
        request=CrowdfundingRefusalSerializer, responses=CrowdfundingManagedProjectSerializer
    )
    def post(self, request: Request, slug: str) -> Response:
        """Refuse a submitted project, with a reason shown in public (the agents)."""
        project = _managed_or_404(request, slug)
        params = CrowdfundingRefusalSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        project = project_refuse(
            user=request.user, project=project, reason=params.validated_data["reason"]
        )
        return _answer(project, request)
