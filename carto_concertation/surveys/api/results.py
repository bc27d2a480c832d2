# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results' API, under /api/v1/surveys/questionnaires/<slug>/: the results (public once published,
the organisers' always), one question's, a map question's heat map (public: cells of at
least HEATMAP_MIN_COUNT markers) and markers (organisers), the cross-tabulation of two
choice questions (organisers), the publication, and the moderation of the free texts. A
refusal is a 403, a 404, or a 400 naming the field; nothing is written then."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.throttles import HEAVY_READ_THROTTLES, WriteThrottleMixin

from ..models import Question, Questionnaire
from ..models.responses import TextModeration
from ..selectors.questionnaires import questionnaire_public
from ..selectors.results import (
    CROSSTAB_KINDS,
    crosstab,
    heatmap,
    markers,
    question_by_code,
    question_result,
    questionnaire_results,
    results_questionnaire,
    staff_questionnaire,
    texts_to_moderate,
)
from ..selectors.results.maps import HEATMAP_CELL_DEFAULT, HEATMAP_CELL_RANGE
from ..services.results import (
    DECISIONS,
    results_publish,
    results_unpublish,
    texts_moderate,
    texts_moderate_question,
)


def _readable(request: Request, slug: str) -> Questionnaire:
    questionnaire = results_questionnaire(slug, request.user)
    if questionnaire is None:
        raise Http404(_("No published results here."))
    return questionnaire


def _staff(request: Request, slug: str, action: str) -> Questionnaire:
    """The questionnaire for its organisers or moderators: 404 for a draft (nothing told),
    403 for a published questionnaire (its existence is public)."""
    questionnaire = staff_questionnaire(slug, request.user, action)
    if questionnaire is None:
        if questionnaire_public(slug) is None:
            raise Http404
        if action == "moderate":
            raise PermissionDenied(_("Only the moderators of this questionnaire may do that."))
        raise PermissionDenied(_("Only the organisers of this questionnaire may do that."))
    return questionnaire


def _question(questionnaire: Questionnaire, code: str, field: str | None = None) -> Question:
    question = question_by_code(questionnaire, code)
    if question is None:
        if field:
            raise serializers.ValidationError({field: [_("No question has this code.")]})
        raise Http404
    return question


class ResultsApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, slug: str) -> Response:
        """The results: the collective answer, the submitted responses, and per question
        its figures (choices' counts and shares over who answered, a ranking's mean rank
        and Borda points, distributions, mean and median, months, map questions' markers
        per zone and per commune with their follow-up choices) and published texts.
        404 until the results are published, but for the organisers."""
        return Response(questionnaire_results(_readable(request, slug)))


class QuestionResultsApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="surveys_results_question", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, slug: str, code: str) -> Response:
        """One question's figures (as in the results), e.g. a map question's counts per
        PLU/PLUi zone and per commune."""
        return Response(question_result(_question(_readable(request, slug), code)))


class HeatmapQuerySerializer(serializers.Serializer):
    cell = serializers.IntegerField(
        min_value=HEATMAP_CELL_RANGE[0],
        max_value=HEATMAP_CELL_RANGE[1],
        default=HEATMAP_CELL_DEFAULT,
        help_text="Side of the square cells, in metres (Web Mercator).",
    )
    full = serializers.BooleanField(
        default=False, help_text="Organisers: every cell, even of one marker."
    )


class HeatmapApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = HEAVY_READ_THROTTLES

    @extend_schema(parameters=[HeatmapQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, slug: str, code: str) -> Response:
        """A drawn map question's markers counted in square cells (GeoJSON, WGS84): for
        everyone only the cells holding at least HEATMAP_MIN_COUNT markers, so that no
        single home can be singled out; the organisers may ask ``full=true``."""
        params = HeatmapQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        questionnaire = _readable(request, slug)
        full = params.validated_data["full"]
        if full and not request.user.has_perm("surveys.organise", questionnaire):
            raise PermissionDenied(_("Only the organisers see every marker."))
        question = _question(questionnaire, code)
        if question.kind not in Question.GEOMETRY_KINDS:
            raise serializers.ValidationError({"code": [_("Not a question drawn on the map.")]})
        min_count = 1 if full else settings.HEATMAP_MIN_COUNT
        return Response(heatmap(question, cell=params.validated_data["cell"], min_count=min_count))


class MarkersApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, slug: str, code: str) -> Response:
        """Organisers: every drawn marker of a map question (GeoJSON, WGS84) with its
        follow-up choice and comment; no respondent."""
        question = _question(_staff(request, slug, "organise"), code)
        if question.kind not in Question.GEOMETRY_KINDS:
            raise serializers.ValidationError({"code": [_("Not a question drawn on the map.")]})
        return Response(markers(question))


class CrosstabQuerySerializer(serializers.Serializer):
    rows = serializers.SlugField(help_text="Code of a single or multiple choice question.")
    columns = serializers.SlugField(help_text="Code of another one.")


class CrosstabApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[CrosstabQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, slug: str) -> Response:
        """Organisers: the respondents holding each pair of choices of two choice
        questions (rows × columns), with the totals."""
        questionnaire = _staff(request, slug, "organise")
        params = CrosstabQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        pair = {}
        for field in ("rows", "columns"):
            question = _question(questionnaire, params.validated_data[field], field)
            if question.kind not in CROSSTAB_KINDS:
                raise serializers.ValidationError(
                    {field: [_("Cross only single or multiple choice questions.")]}
                )
            pair[field] = question
        if pair["rows"].pk == pair["columns"].pk:
            raise serializers.ValidationError({"columns": [_("Choose two different questions.")]})
        return Response(crosstab(pair["rows"], pair["columns"]))


class PublishInputSerializer(serializers.Serializer):
    published = serializers.BooleanField()
    summary = serializers.CharField(
        required=False, allow_blank=True, max_length=20000, trim_whitespace=False
    )


class PublishApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PublishInputSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, slug: str) -> Response:
        """Organisers: publish the results with the collective answer (``summary``,
        required then), or take them back (``published: false``)."""
        questionnaire = _staff(request, slug, "organise")
        params = PublishInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        if params.validated_data["published"]:
            questionnaire = results_publish(
                questionnaire,
                user=request.user,
                summary=params.validated_data.get("summary", ""),
            )
        else:
            questionnaire = results_unpublish(questionnaire, user=request.user)
        return Response(
            {
                "results_published": questionnaire.results_published,
                "summary": questionnaire.results_summary,
            }
        )


class TextsQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TextModeration.choices, required=False)


class ModerateInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISIONS)
    answers = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=1000
    )
    features = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=1000
    )


def _texts(questionnaire: Questionnaire, status: str | None = None) -> list[dict]:
    return [
        {"question": group["question"].code, "label": group["question"].label, **text}
        for group in texts_to_moderate(questionnaire, status=status)
        for text in group["texts"]
    ]


class TextsApi(WriteThrottleMixin, APIView):
    permission_classes = [IsAuthenticated]
    # The moderators' decisions share the contributions' moderation rate.
    throttle_scope = "moderation"

    @extend_schema(parameters=[TextsQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, slug: str) -> Response:
        """Moderators: the free texts (texts, "other" answers, markers' comments) with
        their moderation, by question."""
        questionnaire = _staff(request, slug, "moderate")
        params = TextsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response({"texts": _texts(questionnaire, params.validated_data.get("status"))})

    @extend_schema(request=ModerateInputSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, slug: str) -> Response:
        """Moderators: publish or hide these texts (``answers``: ids of answers,
        ``features``: ids of markers); an unknown id refuses them all."""
        questionnaire = _staff(request, slug, "moderate")
        params = ModerateInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        count = texts_moderate(questionnaire, user=request.user, **params.validated_data)
        return Response({"moderated": count})


class QuestionModerateInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISIONS)


class QuestionTextsApi(WriteThrottleMixin, APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "moderation"

    @extend_schema(
        operation_id="surveys_texts_question_moderate",
        request=QuestionModerateInputSerializer,
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, slug: str, code: str) -> Response:
        """Moderators: publish or hide every text of the question still waiting."""
        question = _question(_staff(request, slug, "moderate"), code)
        params = QuestionModerateInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        count = texts_moderate_question(
            question, user=request.user, decision=params.validated_data["decision"]
        )
        return Response({"moderated": count})
