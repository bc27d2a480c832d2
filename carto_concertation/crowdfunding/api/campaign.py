# SPDX-License-Identifier: AGPL-3.0-or-later
"""The campaign's API: the history of a project's figures (GET: public once the project
is, its porteur and agents before), a new update of them (POST: its porteur or agents)
and the import of a platform's CSV export (POST multipart, all or nothing: a 400 lists
each refused line with its number and reason). Nobody's name is in an answer."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.parsers import DepthLimitedJSONParser
from carto_concertation.core.throttles import WriteThrottleMixin

from ..models import FundingUpdate, Project
from ..selectors.campaign import figures_history
from ..selectors.projects import project_managed, project_public
from ..services.campaign import REASON_MAX, figures_update
from ..services.funding_csv import FundingExportRefused, funding_import


class CrowdfundingImportSummarySerializer(serializers.Serializer):
    layout = serializers.CharField()
    lines = serializers.IntegerField()
    counted = serializers.IntegerField()
    set_aside = serializers.IntegerField()


class CrowdfundingFiguresUpdateSerializer(serializers.ModelSerializer):
    """One update of the figures, as the public reads it (who typed it is not said)."""

    funding_import = CrowdfundingImportSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = FundingUpdate
        fields = [
            "id",
            "raised",
            "contributors",
            "source",
            "correction_reason",
            "funding_import",
            "created_at",
        ]


class CrowdfundingFiguresInputSerializer(serializers.Serializer):
    raised = serializers.IntegerField(help_text=_("The amount raised so far, in euros."))
    contributors = serializers.IntegerField(help_text=_("The number of contributors so far."))
    correction_reason = serializers.CharField(
        max_length=REASON_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when a figure is lower than the last one; shown in public."),
    )


class CrowdfundingImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("The platform's CSV export of contributions (docs/crowdfunding.md).")
    )
    correction_reason = serializers.CharField(
        max_length=REASON_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when the export's totals are lower than the last figures."),
    )


class CrowdfundingImportLineSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    outcome = serializers.CharField(help_text=_("counted, set_aside or refused"))
    status = serializers.CharField()
    amount = serializers.CharField(allow_null=True)
    field = serializers.CharField()
    reason = serializers.CharField()


class CrowdfundingImportResultSerializer(serializers.Serializer):
    update = CrowdfundingFiguresUpdateSerializer()
    lines = CrowdfundingImportLineSerializer(many=True)


def _project_seen(request: Request, slug: str) -> Project:
    project = project_public(slug)
    if project is None and request.user.is_authenticated:
        project = project_managed(request.user, slug)
    if project is None:
        raise Http404
    return project


def _project_managed(request: Request, slug: str) -> Project:
    project = project_managed(request.user, slug)
    if project is None:
        raise Http404
    return project


class ProjectFiguresApi(WriteThrottleMixin, APIView):
    """GET: the figures' history, the latest first. POST: new figures."""

    permission_classes = [AllowAny]
    parser_classes = [DepthLimitedJSONParser, FormParser]
    throttle_scope = "crowdfunding_figures"

    @extend_schema(responses={200: CrowdfundingFiguresUpdateSerializer(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        project = _project_seen(request, slug)
        return Response(
            CrowdfundingFiguresUpdateSerializer(figures_history(project), many=True).data
        )

    @extend_schema(
        request=CrowdfundingFiguresInputSerializer,
        responses={201: CrowdfundingFiguresUpdateSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        if not request.user.is_authenticated:
            self.permission_denied(request)
        project = _project_managed(request, slug)
        given = CrowdfundingFiguresInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        update = figures_update(user=request.user, project=project, **given.validated_data)
        return Response(CrowdfundingFiguresUpdateSerializer(update).data, status=201)


class FundingImportApi(WriteThrottleMixin, APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
    throttle_scope = "crowdfunding_figures"

    @extend_schema(
        request={"multipart/form-data": CrowdfundingImportInputSerializer},
        responses={201: CrowdfundingImportResultSerializer, 400: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Import the platform's export, all or nothing: 201 with the new figures and the
        report of each line, or 400 naming each refused line and nothing written."""
        project = _project_managed(request, slug)
        given = CrowdfundingImportInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            record, report = funding_import(
                user=request.user,
                project=project,
                upload=given.validated_data["file"],
                correction_reason=given.validated_data["correction_reason"],
            )
        except FundingExportRefused as refusal:
            return Response(
                {
                    "file": refusal.message_dict["file"],
                    "lines": [line.as_dict() for line in refusal.report.lines],
                },
                status=400,
            )
        return Response(
            {
                "update": CrowdfundingFiguresUpdateSerializer(record.update).data,
                "lines": [line.as_dict() for line in report.lines],
            },
            status=201,
        )
