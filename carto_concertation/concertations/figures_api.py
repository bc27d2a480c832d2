# SPDX-License-Identifier: AGPL-3.0-or-later
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .figures import space_figures_per_commune, space_figures_per_zone

_FIGURES = serializers.DictField(child=serializers.IntegerField())


class SpaceFiguresPerCommuneApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses=inline_serializer(
            "FiguresPerCommune",
            {
                "insee": serializers.CharField(),
                "name": serializers.CharField(),
                "figures": _FIGURES,
            },
            many=True,
        )
    )
    def get(self, request: Request, concertation_slug: str) -> Response:
        """Every module's public figures per commune of the space (e.g. contributions)."""
        rows = space_figures_per_commune(concertation_slug)
        if rows is None:
            raise Http404
        return Response(rows)


class SpaceFiguresPerZoneApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses=inline_serializer(
            "FiguresPerZone",
            {
                "zone": serializers.IntegerField(),
                "libelle": serializers.CharField(),
                "typezone": serializers.CharField(),
                "figures": _FIGURES,
            },
            many=True,
        )
    )
    def get(self, request: Request, concertation_slug: str) -> Response:
        """Every module's public figures per zone of the space's PLU/PLUi."""
        rows = space_figures_per_zone(concertation_slug)
        if rows is None:
            raise Http404
        return Response(rows)
