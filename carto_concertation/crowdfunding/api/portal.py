# SPDX-License-Identifier: AGPL-3.0-or-later
"""The portal's public API: the public projects as GeoJSON (the dataset's fields, the
portal's filters) and the portal's figures per year and per commune. Thin views over
selectors/portal.py; a project's public shape never holds its submitter."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from carto_concertation.core.geojson import GeoJsonViewMixin
from carto_concertation.core.serializers import GeoJsonGeometryField
from carto_concertation.core.throttles import HeavyReadThrottle

from ..datasets import PROJECTS
from ..models import Project
from ..selectors.portal import platform_name, portal_figures, projects_filtered

COORDINATE_PRECISION = 7


class CrowdfundingProjectSerializer(GeoFeatureModelSerializer):
    """A public project as a GeoJSON feature (WGS84), the dataset's fields only."""

    geom = GeoJsonGeometryField(
        source="geom_wgs84", read_only=True, allow_null=True, precision=COORDINATE_PRECISION
    )
    theme_label = serializers.CharField(source="get_theme_display", read_only=True)
    commune = serializers.CharField(source="commune.name", read_only=True, allow_null=True)
    commune_insee = serializers.CharField(source="commune.insee", read_only=True, allow_null=True)
    interest_rate = serializers.FloatField(read_only=True, allow_null=True)
    modality_label = serializers.CharField(source="get_modality_display", read_only=True)
    goal_share = serializers.IntegerField(
        source="goal_share_percent", read_only=True, allow_null=True
    )
    progress = serializers.IntegerField(source="progress_percent", read_only=True)
    platform = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Project
        geo_field = "geom"
        # The feature's own id is the slug: rest_framework_gis leaves it out of the properties.
        id_field = "slug"
        fields = PROJECTS.field_names()

    def get_platform(self, project: Project) -> str:
        return platform_name(project)

    def get_photos(self, project: Project) -> list[str]:
        request = self.context.get("request")
        return [
            request.build_absolute_uri(photo.image.url) if request else photo.image.url
            for photo in project.photos.all()
        ]


def _codes(value: str, allowed: list[str], what: str) -> list[str]:
    codes = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [code for code in codes if code not in allowed]
    if unknown:
        raise serializers.ValidationError(
            _("Unknown %(what)s: %(codes)s.") % {"what": what, "codes": ", ".join(unknown)[:80]}
        )
    return codes


class CrowdfundingQuerySerializer(serializers.Serializer):
    status = serializers.CharField(
        required=False, help_text=_("States, separated by commas (campaign, funded…).")
    )
    modality = serializers.CharField(
        required=False, help_text=_("Modalities, separated by commas (donation, loan…).")
    )
    theme = serializers.CharField(required=False, help_text=_("Themes, separated by commas."))
    commune = serializers.CharField(
        required=False, help_text=_("INSEE codes of communes, separated by commas.")
    )

    def validate_status(self, value: str) -> list[str]:
        return _codes(value, [str(s) for s in Project.PUBLIC_STATUSES], _("state"))

    def validate_modality(self, value: str) -> list[str]:
        return _codes(value, Project.Modality.values, _("modality"))

    def validate_theme(self, value: str) -> list[str]:
        return _codes(value, Project.Theme.values, _("theme"))

    def validate_commune(self, value: str) -> list[str]:
        codes = [part.strip() for part in value.split(",") if part.strip()]
        if any(len(code) != 5 or not code.isalnum() for code in codes):
            raise serializers.ValidationError(_("INSEE codes have five letters or digits."))
        return codes


class FiguresRowSerializer(serializers.Serializer):
    proposed = serializers.IntegerField()
    funded = serializers.IntegerField()
    raised = serializers.IntegerField()
    contributors = serializers.IntegerField()


class FiguresYearSerializer(FiguresRowSerializer):
    year = serializers.IntegerField()


class FiguresCommuneSerializer(FiguresRowSerializer):
    commune = serializers.CharField()
    insee = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    per_year = FiguresYearSerializer(many=True)
    per_commune = FiguresCommuneSerializer(many=True)
    total = FiguresRowSerializer()


class ProjectsGeoJsonApi(GeoJsonViewMixin, APIView):
    permission_classes = [AllowAny]

    def get_throttles(self):
        return [*super().get_throttles(), HeavyReadThrottle()]

    @extend_schema(
        parameters=[CrowdfundingQuerySerializer],
        responses=CrowdfundingProjectSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """The portal's public projects as a FeatureCollection: those on the map, and the
        refused ones with their reason when ``status`` asks for them; filters ``status``,
        ``modality``, ``theme`` (codes) and ``commune`` (INSEE codes), comma-separated."""
        query = CrowdfundingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        projects = projects_filtered(
            statuses=query.validated_data.get("status"),
            modalities=query.validated_data.get("modality"),
            themes=query.validated_data.get("theme"),
            communes=query.validated_data.get("commune"),
        )
        return Response(
            CrowdfundingProjectSerializer(projects, many=True, context={"request": request}).data
        )


class FiguresApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=FiguresSerializer)
    def get(self, request: Request) -> Response:
        """The portal's figures per year (the year its campaign ends) and per commune:
        projects proposed (put on the portal), funded, and the amount raised and the
        contributors of the funded ones; with the totals."""
        return Response(FiguresSerializer(portal_figures()).data)
