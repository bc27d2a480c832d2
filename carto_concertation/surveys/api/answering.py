# SPDX-License-Identifier: AGPL-3.0-or-later
"""The answering API, under /api/v1/surveys/questionnaires/<slug>/: the questionnaire as
the answering page needs it (GET), a draft saved (``draft``), a response submitted
(``submit``), a one-time link asked for (``link``), and the GeoJSON the map widget draws
on (perimeter, zones, communes; public, cached). A refusal is a 400 naming the field
(``q3``, ``q3.2.comment``), 409 when the questionnaire is closed or the person has
answered; nothing is written in any of these cases."""

import json

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.throttles import HEAVY_READ_THROTTLES, ScopedRateThrottle
from carto_concertation.core.wgs84 import wgs84

from ..models import Question, Questionnaire
from ..selectors.questionnaires import (
    questionnaire_communes,
    questionnaire_open,
    questionnaire_perimeter,
    questionnaire_zones,
    questionnaires_public,
)
from ..services.answers import (
    AlreadyAnswered,
    NotOpen,
    Respondent,
    Shape,
    link_request,
    respondent_link,
    response_draft_save,
    response_submit,
)
from ..views.respondents import respondent_for, with_device_cookie

# GeoJSON of the map widget: the same for everyone while the questionnaire stands.
GEOJSON_CACHE = "public, max-age=3600"


def _questionnaire(slug: str) -> Questionnaire:
    questionnaire = questionnaires_public().filter(slug=slug).first()
    if questionnaire is None:
        raise Http404
    return questionnaire


def _condition(item, codes: dict[int, str]) -> dict | None:
    """A page's or question's condition: the code of the question it reads and the
    choices that show it."""
    if item.shown_if_question_id is None:
        return None
    return {
        "question": codes.get(item.shown_if_question_id),
        "choices": [c.pk for c in item.shown_if_choices.all()],
    }


def _bound(value):
    return None if value is None else float(value)


def _question(question: Question, codes: dict[int, str]) -> dict:
    return {
        "code": question.code,
        "kind": question.kind,
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
        "with_other": question.with_other,
        "min_count": question.min_count,
        "max_count": question.max_count,
        "min_value": _bound(question.min_value),
        "max_value": _bound(question.max_value),
        "min_label": question.min_label,
        "max_label": question.max_label,
        "choices": [
            {"id": c.pk, "label": c.label} for c in question.choices.all() if not c.for_marker
        ],
        "marker_choices": [
            {"id": c.pk, "label": c.label} for c in question.choices.all() if c.for_marker
        ],
        "marker_choice_label": question.marker_choice_label,
        "marker_comment": question.marker_comment,
        "shown_if": _condition(question, codes),
    }


def questionnaire_public_json(questionnaire: Questionnaire) -> dict:
    shape = Shape(questionnaire)
    codes = {question.pk: code for code, question in shape.questions.items()}
    return {
        "slug": questionnaire.slug,
        "title": questionnaire.title,
        "description": questionnaire.description,
        "opens_at": questionnaire.opens_at.isoformat(),
        "closes_at": questionnaire.closes_at.isoformat(),
        "open": questionnaire_open(questionnaire),
        "respondents": questionnaire.respondents,
        "pages": [
            {
                "position": page.position,
                "title": page.title,
                "description": page.description,
                "shown_if": _condition(page, codes),
                "questions": [_question(q, codes) for q in page.questions.all()],
            }
            for page in shape.pages
        ],
    }


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        help_text=_("The answers by question code (docs/surveys.md, “Answering”).")
    )
    link = serializers.CharField(
        required=False, max_length=500, help_text=_("The one-time link's token, if any.")
    )


class DraftSerializer(AnswersSerializer):
    current_page = serializers.IntegerField(min_value=0, max_value=1000, default=0)


class ResponseStateSerializer(serializers.Serializer):
    status = serializers.CharField()
    current_page = serializers.IntegerField()


class LinkSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)


def _respondent(request: Request, questionnaire: Questionnaire, data: dict) -> Respondent:
    if questionnaire.respondents == Questionnaire.Respondents.EMAIL_LINK and data.get("link"):
        return respondent_link(questionnaire, data["link"])
    respondent = respondent_for(request, questionnaire)
    if respondent is None:
        if questionnaire.respondents == Questionnaire.Respondents.ACCOUNT:
            raise NotAuthenticated
        raise ValidationError({"link": _("Give the token of your one-time link.")})
    return respondent


class _WriteApi(APIView):
    throttle_scope = "survey_answer"
    throttle_classes = [ScopedRateThrottle]
    serializer_class = AnswersSerializer

    def write(self, questionnaire, respondent, data):
        raise NotImplementedError

    def post(self, request: Request, slug: str) -> Response:
        questionnaire = _questionnaire(slug)
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        respondent = _respondent(request, questionnaire, data)
        try:
            response = self.write(questionnaire, respondent, data)
        except (NotOpen, AlreadyAnswered) as refusal:
            return Response(refusal.message_dict, status=status.HTTP_409_CONFLICT)
        answer = Response({"status": response.status, "current_page": response.current_page})
        return with_device_cookie(request, answer)


class QuestionnaireApi(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, slug: str) -> Response:
        """The questionnaire as one answers it: pages, questions, choices, conditions,
        rules, and whether it is open."""
        return Response(questionnaire_public_json(_questionnaire(slug)))


class DraftApi(_WriteApi):
    serializer_class = DraftSerializer

    def write(self, questionnaire, respondent, data):
        return response_draft_save(
            questionnaire=questionnaire,
            respondent=respondent,
            payload=data["answers"],
            current_page=data["current_page"],
        )

    @extend_schema(request=DraftSerializer, responses={200: ResponseStateSerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Save my answers so far as a draft, to resume on ``current_page``."""
        return super().post(request, slug)


class SubmitApi(_WriteApi):
    def write(self, questionnaire, respondent, data):
        return response_submit(
            questionnaire=questionnaire, respondent=respondent, payload=data["answers"]
        )

    @extend_schema(request=AnswersSerializer, responses={200: ResponseStateSerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Submit my response: every answer checked, the required ones required."""
        return super().post(request, slug)


class LinkApi(APIView):
    throttle_scope = "survey_link"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(request=LinkSerializer, responses={202: OpenApiTypes.OBJECT})
    def post(self, request: Request, slug: str) -> Response:
        """Send a one-time link to answer to an address (questionnaires answered by e-mail
        link). The answer is the same whether the address has answered or not."""
        questionnaire = _questionnaire(slug)
        serializer = LinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            link_request(questionnaire=questionnaire, email=serializer.validated_data["email"])
        except NotOpen as refusal:
            return Response(refusal.message_dict, status=status.HTTP_409_CONFLICT)
        return Response(
            {"detail": _("If this address may still answer, a link has been sent.")},
            status=status.HTTP_202_ACCEPTED,
        )


def _geojson_response(features: list[dict]) -> Response:
    response = Response({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = GEOJSON_CACHE
    return response


def _geometry(geom) -> dict:
    return json.loads(wgs84(geom).geojson)


class _GeoJsonApi(APIView):
    throttle_classes = HEAVY_READ_THROTTLES


class PerimeterApi(_GeoJsonApi):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, slug: str) -> Response:
        """Where map answers may lie (GeoJSON, WGS84)."""
        questionnaire = _questionnaire(slug)
        perimeter = questionnaire_perimeter(questionnaire)
        return _geojson_response(
            [{"type": "Feature", "geometry": _geometry(perimeter), "properties": {}}]
        )


class ZonesApi(_GeoJsonApi):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, slug: str) -> Response:
        """The PLU/PLUi zones one may pick (GeoJSON, WGS84: id, libelle, libelong)."""
        zones = questionnaire_zones(_questionnaire(slug)).only("pk", "libelle", "libelong", "geom")
        return _geojson_response(
            [
                {
                    "type": "Feature",
                    "id": zone.pk,
                    "geometry": _geometry(zone.geom),
                    "properties": {
                        "id": zone.pk,
                        "libelle": zone.libelle,
                        "libelong": zone.libelong,
                    },
                }
                for zone in zones
            ]
        )


class CommunesApi(_GeoJsonApi):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, slug: str) -> Response:
        """The communes one may pick (GeoJSON, WGS84: id, name)."""
        communes = questionnaire_communes(_questionnaire(slug)).only("pk", "name", "geom")
        return _geojson_response(
            [
                {
                    "type": "Feature",
                    "id": commune.pk,
                    "geometry": _geometry(commune.geom),
                    "properties": {"id": commune.pk, "name": commune.name},
                }
                for commune in communes
            ]
        )
