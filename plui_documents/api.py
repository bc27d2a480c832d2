# SPDX-License-Identifier: AGPL-3.0-or-later
"""Zoning API: which zone is here and what applies, the règlement, the documents."""

from django.conf import settings
from django.contrib.gis.geos import Point
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .models import DocumentPiece
from .serializers import (
    DocumentOutputSerializer,
    LookupInputSerializer,
    SearchInputSerializer,
    SearchResultOutputSerializer,
    ZoningAtPointOutputSerializer,
)


class ZoningLookupApi(APIView):
    @extend_schema(parameters=[LookupInputSerializer], responses=ZoningAtPointOutputSerializer)
    def get(self, request: Request) -> Response:
        """The zone of the PLU/PLUi in force at a point, what applies there and the règlement."""
        params = LookupInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        lon, lat = params.validated_data["lon"], params.validated_data["lat"]
        point = Point(lon, lat, srid=4326).transform(settings.SRID, clone=True)
        answer = selectors.zoning_at_point(point=point)
        if answer is None:
            raise NotFound(
                _("No zone of a PLU/PLUi in force at this point (lon %(lon)s, lat %(lat)s).")
                % {"lon": lon, "lat": lat}
            )
        return Response(ZoningAtPointOutputSerializer(answer, context={"request": request}).data)


class RegulationSearchApi(APIView):
    @extend_schema(
        parameters=[SearchInputSerializer], responses=SearchResultOutputSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        """Pages of the règlements in force matching words (French full-text search)."""
        params = SearchInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        pages = selectors.regulation_search(
            query=params.validated_data["q"], idurba=params.validated_data.get("idurba")
        )
        return Response(
            SearchResultOutputSerializer(pages, many=True, context={"request": request}).data
        )


class PieceFileApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request: Request, pk: int) -> FileResponse:
        """The PDF of a document piece (open at a page with #page=N)."""
        piece = get_object_or_404(DocumentPiece, pk=pk)
        if not piece.file:
            raise Http404
        return FileResponse(
            piece.file.open("rb"), content_type="application/pdf", filename=piece.filename
        )


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentOutputSerializer
    lookup_field = "idurba"
    queryset = selectors.document_list().prefetch_related("versions")
