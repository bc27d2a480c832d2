# SPDX-License-Identifier: AGPL-3.0-or-later
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import layer_list


class LayerOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    geometry_type = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())
    minzoom = serializers.IntegerField()
    maxzoom = serializers.IntegerField()
    attribution = serializers.CharField()
    licence = serializers.CharField()


class LayerListApi(APIView):
    @extend_schema(responses=LayerOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The layer registry: every map layer with its public fields, zooms and attribution."""
        return Response(LayerOutputSerializer(layer_list(), many=True).data)
