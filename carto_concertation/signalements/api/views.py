# SPDX-License-Identifier: AGPL-3.0-or-later
"""The residents' API: thin views over the selectors and the submission services."""

from django.conf import settings
from django.contrib.gis.geos import Point
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiTypes, extend_schema
from rest_framework import generics, mixins
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.geojson import GeoJsonPagination, GeoJsonViewMixin
from carto_concertation.core.parsers import DepthLimitedJSONParser
from carto_concertation.core.throttles import HeavyReadThrottle
from carto_concertation.territories.models import Territory
from carto_concertation.territories.selectors import module_on

from .. import selectors
from ..manifest import SIGNALEMENTS
from ..models import Category, Report
from ..services.submission import report_confirm, report_submit
from .filters import ReportFilter
from .serializers import (
    SignalementCategoryQuerySerializer,
    SignalementCategorySerializer,
    SignalementConfirmInputSerializer,
    SignalementDetailSerializer,
    SignalementFiledSerializer,
    SignalementInputSerializer,
    SignalementNearbyQuerySerializer,
    SignalementNearbySerializer,
    SignalementSerializer,
)
from .throttles import FILING_THROTTLES

WGS84 = 4326
NEARBY_MAX = 20
PHOTO_CACHE_SECONDS = 86400


def territory_taking_reports(siren: str) -> Territory:
    """The territory of this SIREN where the module is on, or a 400 naming the field."""
    territory = Territory.objects.filter(module_on(SIGNALEMENTS.name, ""), siren=siren).first()
    if territory is None:
        raise ValidationError({"territory": _("No territory with this SIREN takes reports.")})
    return territory


def category_named(*, territory: Territory, value: str) -> Category | None:
    """The territory's category by id (digits) or by code; the service checks the rest."""
    categories = Category.objects.filter(territory=territory).select_related("parent")
    if value.isdigit():
        return categories.filter(pk=int(value)).first()
    return categories.filter(code=value).first()


class CategoryListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[SignalementCategoryQuerySerializer],
        responses=SignalementCategorySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """The territory's tree of active categories, each with its extra questions. A
        report is filed on a category without sub-categories."""
        query = SignalementCategoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        territory = territory_taking_reports(query.validated_data["territory"])
        categories = list(selectors.categories_of(territory.pk))
        by_id = {category.pk: category for category in categories}
        roots = []
        for category in categories:
            category.tree_children = []
        for category in categories:
            if category.parent_id is None:
                roots.append(category)
            elif category.parent_id in by_id:  # under an inactive parent: not offered
                by_id[category.parent_id].tree_children.append(category)
        return Response(SignalementCategorySerializer(roots, many=True).data)


class ReportPagination(GeoJsonPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class ReportListApi(GeoJsonViewMixin, mixins.ListModelMixin, generics.GenericAPIView):
    """The public reports (GeoJSON, most recent first); residents file theirs here."""

    serializer_class = SignalementSerializer
    pagination_class = ReportPagination
    filterset_class = ReportFilter
    permission_classes = [AllowAny]
    parser_classes = [DepthLimitedJSONParser, MultiPartParser, FormParser]

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method == "POST":
            return [*throttles, *(throttle() for throttle in FILING_THROTTLES)]
        return [*throttles, HeavyReadThrottle()]

    def get_queryset(self):
        return selectors.reports_for_output(
            selectors.reports_public().filter(module_on(SIGNALEMENTS.name))
        ).order_by("-created_at", "-id")

    def get(self, request: Request) -> Response:
        """Confirmed, public reports, never a banned sender's; filters by territory,
        category, state, commune and map extent."""
        return self.list(request)

    @extend_schema(
        request={
            "application/json": SignalementInputSerializer,
            "multipart/form-data": SignalementInputSerializer,
        },
        responses={201: SignalementFiledSerializer},
        examples=[
            OpenApiExample(
                "A street light out in Sancoins",
                value={
                    "territory": "241800507",
                    "category": "eclairage-panne",
                    "longitude": 2.92,
                    "latitude": 46.83,
                    "description": "Le lampadaire devant l'école est éteint depuis lundi.",
                    "answers": {},
                    "email": "habitant@example.org",
                    "is_public": True,
                },
                request_only=True,
                media_type="application/json",
            )
        ],
    )
    def post(self, request: Request) -> Response:
        """File a report. Signed in, it is open at once and its id answered; with an
        e-mail address alone, a confirmation link is sent and the id stays null until
        the report is confirmed."""
        params = SignalementInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        if data["honeypot"]:
            # Only a robot fills the field no one sees: nothing is written, and it is
            # answered as a report waiting for its confirmation (docs/signalements.md).
            return Response({"id": None, "state": Report.State.UNCONFIRMED}, status=201)
        territory = territory_taking_reports(data["territory"])
        report = report_submit(
            territory=territory,
            category=category_named(territory=territory, value=data["category"]),
            point=Point(data["longitude"], data["latitude"], srid=WGS84),
            description=data["description"],
            answers=data["answers"],
            photos=data["photos"],
            author=request.user if request.user.is_authenticated else None,
            email=data["email"],
            is_public=data["is_public"],
            source=Report.Source.WEB,
        )
        filed = report.pk if report.state != Report.State.UNCONFIRMED else None
        return Response({"id": filed, "state": report.state}, status=201)


class ReportDetailApi(GeoJsonViewMixin, APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=SignalementDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        """A public report, or one the person may read (their own, their services'),
        with its history."""
        reports = selectors.reports_for_output(selectors.reports_visible_to(request.user))
        report = get_object_or_404(reports.prefetch_related("updates__service_after"), pk=pk)
        return Response(SignalementDetailSerializer(report, context={"request": request}).data)


class NearbyApi(GeoJsonViewMixin, APIView):
    permission_classes = [AllowAny]

    def get_throttles(self):
        return [*super().get_throttles(), HeavyReadThrottle()]

    @extend_schema(
        parameters=[SignalementNearbyQuerySerializer],
        responses=SignalementNearbySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """The open public reports of the category near a place (within
        SIGNALEMENTS_DUPLICATE_DISTANCE metres), nearest first: to "me too" one of them
        rather than file a twin."""
        query = SignalementNearbyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if not Category.objects.filter(pk=data["category"], active=True).exists():
            raise ValidationError({"category": _("No such category.")})
        reports = selectors.reports_nearby(
            category_id=data["category"],
            point=Point(data["longitude"], data["latitude"], srid=WGS84),
            distance_m=settings.SIGNALEMENTS_DUPLICATE_DISTANCE,
        )[:NEARBY_MAX]
        return Response(
            SignalementNearbySerializer(reports, many=True, context={"request": request}).data
        )


class ConfirmApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=SignalementConfirmInputSerializer, responses=SignalementFiledSerializer)
    def post(self, request: Request) -> Response:
        """Confirm a report filed with an e-mail address (the link's token): it opens and
        goes to its service."""
        params = SignalementConfirmInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        report = report_confirm(token=params.validated_data["token"])
        return Response({"id": report.pk, "state": report.state})


class PhotoFileApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> FileResponse:
        """A photo of a report the person may read (re-encoded JPEG, without metadata);
        of a report not public, kept in no shared cache."""
        photo = selectors.report_photo_visible(pk=pk, user=request.user)
        if photo is None:
            raise Http404
        public = selectors.reports_public().filter(pk=photo.report_id).exists()
        response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = (
            f"public, max-age={PHOTO_CACHE_SECONDS}" if public else "private, no-store"
        )
        return response
