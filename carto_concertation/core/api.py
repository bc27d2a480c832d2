# SPDX-License-Identifier: AGPL-3.0-or-later
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .jobs import job_state, job_visible_to
from .models import Job
from .modules import datasets


class JobApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk) -> Response:
        """Where a background job stands (progress, then its report); its author and staff only."""
        job = get_object_or_404(Job, pk=pk)
        if not job_visible_to(job, request.user):
            raise PermissionDenied
        return Response(job_state(job))


class PublicFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    type = serializers.CharField()
    format = serializers.CharField(required=False)


# The schema of the dataset list (the view writes its rows itself).
class DatasetSerializer(serializers.Serializer):
    name = serializers.CharField()
    module = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    geometry_type = serializers.CharField()
    fields = PublicFieldSerializer(many=True)


class DatasetListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=DatasetSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The open datasets the installed modules publish, each with its public fields
        (name, meaning, type): nothing else about their rows leaves the server."""
        return Response(
            [
                {
                    "name": dataset.name,
                    "module": manifest.name,
                    "title": str(dataset.title),
                    "description": str(dataset.description),
                    "geometry_type": dataset.geometry_type,
                    "fields": [
                        {"name": f.name, "title": str(f.label), "type": f.type}
                        | ({"format": f.format} if f.format else {})
                        for f in dataset.fields
                    ],
                }
                for manifest, dataset in datasets()
            ]
        )


def exception_handler(exc, context):
    """Services raise Django's ValidationError (field -> messages): answer it as a 400
    naming the fields, as DRF does for its own validation."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)
