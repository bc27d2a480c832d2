# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the builder API's views share: the questionnaire found for its organiser, and
the questionnaire's full view after each write."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ...models import Choice, Question, Questionnaire, SurveyPage
from ...selectors.questionnaires import questionnaire_has_answers
from .serializers import SurveyBuildSerializer


def valid(serializer_class, request: Request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def organised(request: Request, slug: str) -> Questionnaire:
    """The questionnaire, for its organisers: a draft does not exist for others (404), a
    published one is not theirs to build (403)."""
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("territory"), slug=slug)
    if not request.user.has_perm("surveys.organise", questionnaire):
        if not questionnaire.is_published:
            get_object_or_404(Questionnaire.objects.none())
        raise PermissionDenied
    return questionnaire


def build_view(questionnaire: Questionnaire, status: int = 200) -> Response:
    """The questionnaire as its organisers see it, read afresh."""
    questions = Question.objects.order_by("position").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("for_marker", "position")),
        "shown_if_choices",
        "shown_if_question",
    )
    pages = SurveyPage.objects.order_by("position").prefetch_related(
        Prefetch("questions", queryset=questions), "shown_if_choices", "shown_if_question"
    )
    questionnaire = Questionnaire.objects.prefetch_related(Prefetch("pages", queryset=pages)).get(
        pk=questionnaire.pk
    )
    questionnaire.has_answers = questionnaire_has_answers(questionnaire)
    return Response(SurveyBuildSerializer(questionnaire).data, status=status)


class OrganiserApi(APIView):
    permission_classes = [IsAuthenticated]
