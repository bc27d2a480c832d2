# SPDX-License-Identifier: AGPL-3.0-or-later
"""The builder API's questionnaires: the organiser's list and a new one, the settings,
the publication, the JSON file out and in."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from plui_documents.models import UrbanDocument

from ...selectors.builder import questionnaires_organised_by
from ...services.questionnaires import (
    questionnaire_create,
    questionnaire_publish,
    questionnaire_unpublish,
    questionnaire_update,
)
from ...services.transfer import MAX_BYTES, questionnaire_export, questionnaire_import
from .common import OrganiserApi, build_view, organised, valid
from .serializers import (
    SurveyBuildSerializer,
    SurveyBuildSummarySerializer,
    SurveyCreateInputSerializer,
    SurveyImportInputSerializer,
    SurveyPublicationInputSerializer,
    SurveySettingsInputSerializer,
)


def _settings(data: dict) -> dict:
    """The serializer's names to the service's (the keys are ids)."""
    for name in ("concertation", "zoning_document"):
        if name in data:
            data[f"{name}_id"] = data.pop(name)
    return data


class BuildListApi(OrganiserApi):
    @extend_schema(
        operation_id="surveys_build_list", responses={200: SurveyBuildSummarySerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        """The questionnaires of the territories the person organises, drafts included."""
        rows = questionnaires_organised_by(request.user)
        return Response(SurveyBuildSummarySerializer(rows, many=True).data)

    @extend_schema(
        operation_id="surveys_build_create",
        request=SurveyCreateInputSerializer,
        responses={201: SurveyBuildSerializer},
    )
    def post(self, request: Request) -> Response:
        """A new draft questionnaire on a territory, or on a concertation (its territory
        and its PLU/PLUi by default)."""
        data = _settings(valid(SurveyCreateInputSerializer, request))
        questionnaire = questionnaire_create(
            user=request.user, territory=data.pop("territory", None), **data
        )
        return build_view(questionnaire, status.HTTP_201_CREATED)


class BuildApi(OrganiserApi):
    @extend_schema(operation_id="surveys_build_read", responses={200: SurveyBuildSerializer})
    def get(self, request: Request, slug: str) -> Response:
        """The questionnaire as its organisers build it: settings, pages, questions,
        choices (with their ids) and conditions."""
        return build_view(organised(request, slug))

    @extend_schema(
        operation_id="surveys_build_settings",
        request=SurveySettingsInputSerializer(partial=True),
        responses={200: SurveyBuildSerializer},
    )
    def patch(self, request: Request, slug: str) -> Response:
        """Change some settings (once answered: the dates only widen; who answers, the
        concertation and the PLU/PLUi are fixed)."""
        questionnaire = organised(request, slug)
        data = _settings(valid(SurveySettingsInputSerializer, request, partial=True))
        questionnaire = questionnaire_update(questionnaire, user=request.user, **data)
        return build_view(questionnaire)


class PublicationApi(OrganiserApi):
    @extend_schema(
        operation_id="surveys_build_publication",
        request=SurveyPublicationInputSerializer,
        responses={200: SurveyBuildSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Publish the questionnaire (true) or take it back to a draft (false)."""
        questionnaire = organised(request, slug)
        if valid(SurveyPublicationInputSerializer, request)["is_published"]:
            questionnaire = questionnaire_publish(questionnaire, user=request.user)
        else:
            questionnaire = questionnaire_unpublish(questionnaire, user=request.user)
        return build_view(questionnaire)


class ExportJsonApi(OrganiserApi):
    @extend_schema(
        operation_id="surveys_build_export",
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        """The questionnaire as a JSON file (format carto-concertation/questionnaire,
        version 1): pages, questions, choices and conditions; no answer, no person."""
        questionnaire = organised(request, slug)
        response = HttpResponse(
            questionnaire_export(questionnaire), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{questionnaire.slug}.json"'
        return response


class ImportJsonApi(OrganiserApi):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="surveys_build_import",
        request={"multipart/form-data": SurveyImportInputSerializer},
        responses={201: SurveyBuildSerializer},
    )
    def post(self, request: Request) -> Response:
        """A new draft questionnaire on a territory the person organises, from a JSON file;
        a bad file: 400 with its JSON path and the reason, nothing written."""
        data = valid(SurveyImportInputSerializer, request)
        document = None
        if data.get("zoning_document"):
            document = UrbanDocument.objects.filter(
                pk=data["zoning_document"], territory=data["territory"]
            ).first()
            if document is None:
                raise ValidationError(
                    {"zoning_document": [_("Choose a PLU/PLUi of the questionnaire's territory.")]}
                )
        # One byte past the limit is enough for the import to refuse the file's size.
        questionnaire = questionnaire_import(
            data["file"].read(MAX_BYTES + 1),
            territory=data["territory"],
            user=request.user,
            zoning_document=document,
        )
        return build_view(questionnaire, status.HTTP_201_CREATED)
