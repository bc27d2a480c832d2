# SPDX-License-Identifier: AGPL-3.0-or-later
"""GET /api/v1/concertations/<slug>/export?format=geojson|csv|gpkg (open data)."""

import logging

from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from carto_concertation.core.throttles import ScopedRateThrottle

from ..api import concertations_with_ideas
from .streams import (
    CONTENT_TYPES,
    FORMATS,
    ExportError,
    ThreadedChunks,
    export_chunks,
    export_filename,
    staff_export_record,
)

logger = logging.getLogger(__name__)


class ExportQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(
        choices=FORMATS,
        help_text=_(
            "geojson (WGS84), csv (WKT in WGS84), gpkg (Lambert-93), or a spreadsheet: "
            "xlsx or ods (French labels, local dates)."
        ),
    )


class ExportUnavailable(APIException):
    status_code = 503
    default_detail = _("The GeoPackage could not be made. Try again later.")
    default_code = "export_unavailable"


class FormatIsOurs(DefaultContentNegotiation):
    """``?format=`` names the file format of the export here, not one of DRF's
    renderers: errors are answered in JSON whatever it says."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "export"
    content_negotiation_class = FormatIsOurs

    @extend_schema(
        parameters=[ExportQuerySerializer],
        responses={
            # JSON, read as such by clients (and the fuzzer): a FeatureCollection.
            (200, "application/geo+json"): {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["FeatureCollection"]},
                    "features": {"type": "array", "items": {"type": "object"}},
                },
                "required": ["type", "features"],
            },
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/geopackage+sqlite3"): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["ods"]): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request, concertation_slug: str) -> StreamingHttpResponse:
        """The public contributions of a concertation (no personal data) under the
        site's open-data licence (Licence Ouverte 2.0 by default), streamed: GeoJSON,
        CSV (`;`, UTF-8 with BOM, WKT) or a GeoPackage with the zoning, ready for QGIS."""
        params = ExportQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        fmt = params.validated_data["format"]
        concertation = get_object_or_404(concertations_with_ideas(), slug=concertation_slug)
        try:
            chunks = export_chunks(concertation=concertation, fmt=fmt)
        except ExportError as exc:
            logger.error("GeoPackage export of %s failed: %s", concertation.slug, exc)
            raise ExportUnavailable from exc
        if isinstance(request._request, ASGIRequest):
            chunks = ThreadedChunks(chunks)
        response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
        filename = export_filename(concertation=concertation, fmt=fmt)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        staff_export_record(concertation=concertation, user=request.user, fmt=fmt)
        return response
