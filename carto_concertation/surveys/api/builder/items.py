# SPDX-License-Identifier: AGPL-3.0-or-later
"""The builder API's pages, questions and choices: add, change (wording, settings,
position, condition), delete. A request that does several changes does them in one
transaction: all or none."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ...models import Choice, Question, Questionnaire, SurveyPage
from ...services.questionnaires import (
    choice_create,
    choice_delete,
    choice_move,
    choice_update,
    condition_set,
    page_create,
    page_delete,
    page_move,
    page_update,
    question_create,
    question_delete,
    question_move,
    question_update,
)
from .common import OrganiserApi, build_view, organised, valid
from .serializers import (
    SurveyBuildSerializer,
    SurveyChoiceInputSerializer,
    SurveyPageInputSerializer,
    SurveyQuestionInputSerializer,
)


def _page(questionnaire: Questionnaire, pk: int) -> SurveyPage:
    return get_object_or_404(SurveyPage, questionnaire=questionnaire, pk=pk)


def _question(questionnaire: Questionnaire, code: str) -> Question:
    return get_object_or_404(
        Question.objects.select_related("page__questionnaire"),
        page__questionnaire=questionnaire,
        code=code,
    )


def _condition(target, questionnaire: Questionnaire, condition: dict | None, user) -> None:
    """Set the condition given (null: none) on a page or a question."""
    if condition is None:
        condition_set(target, user=user, question=None)
        return
    question = Question.objects.filter(
        page__questionnaire=questionnaire, code=condition["question"]
    ).first()
    if question is None:
        raise ValidationError({"shown_if": {"question": [_("No question has this code.")]}})
    choices = list(Choice.objects.filter(pk__in=condition["choices"]))
    if len(choices) != len(set(condition["choices"])):
        raise ValidationError({"shown_if": {"choices": [_("A choice does not exist.")]}})
    condition_set(target, user=user, question=question, choices=choices)


class PagesApi(OrganiserApi):
    @extend_schema(
        operation_id="surveys_build_page_create",
        request=SurveyPageInputSerializer,
        responses={201: SurveyBuildSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        """A new page (at the end, or at ``position``), maybe with its condition."""
        questionnaire = organised(request, slug)
        data = valid(SurveyPageInputSerializer, request)
        with transaction.atomic():
            page = page_create(
                questionnaire,
                user=request.user,
                title=data.get("title", ""),
                description=data.get("description", ""),
            )
            if "position" in data:
                page_move(page, user=request.user, position=data["position"])
            if data.get("shown_if"):
                _condition(page, questionnaire, data["shown_if"], request.user)
        return build_view(questionnaire, status.HTTP_201_CREATED)


class PageApi(OrganiserApi):
    @extend_schema(
        operation_id="surveys_build_page_update",
        request=SurveyPageInputSerializer,
        responses={200: SurveyBuildSerializer},
    )
    def patch(self, request: Request, slug: str, pk: int) -> Response:
        """Change a page's wording, position or condition (null: always shown)."""
        questionnaire = organised(request, slug)
        page = _page(questionnaire, pk)
        data = valid(SurveyPageInputSerializer, request, partial=True)
        with transaction.atomic():
            if "title" in data or "description" in data:
                page_update(
                    page,
                    user=request.user,
                    title=data.get("title", page.title),
                    description=data.get("description", page.description),
                )
            if "position" in data:
                page_move(page, user=request.user, position=data["position"])
            if "shown_if" in data:
                _condition(page, questionnaire, data["shown_if"], request.user)
        return build_view(questionnaire)

    @extend_schema(operation_id="surveys_build_page_delete", responses={204: None})
    def delete(self, request: Request, slug: str, pk: int) -> Response:
        """Delete a page and its questions (refused when one has answers)."""
        questionnaire = organised(request, slug)
        page_delete(_page(questionnaire, pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


_SETTINGS_ONLY = ("page", "position", "choices", "marker_choices", "shown_if")


class QuestionsApi(OrganiserApi):
    @extend_schema(
        operation_id="surveys_build_question_create",
        request=SurveyQuestionInputSerializer,
        responses={201: SurveyBuildSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        """A new question on a page (``page``: its id), with its settings, its choices
        and markers' follow-up choices, and maybe its condition."""
        questionnaire = organised(request, slug)
        data = valid(SurveyQuestionInputSerializer, request)
        for name in ("page", "kind", "label"):
            if name not in data:
                raise ValidationError({name: [_("This field is required.")]})
        page = _page(questionnaire, data.pop("page"))
        position = data.pop("position", None)
        condition = data.pop("shown_if", None)
        with transaction.atomic():
            question = question_create(page, user=request.user, **data)
            if position is not None:
                question_move(question, user=request.user, position=position)
            if condition is not None:
                _condition(question, questionnaire, condition, request.user)
        return build_view(questionnaire, status.HTTP_201_CREATED)


class QuestionApi(OrganiserApi):
    @extend_schema(
        operation_id="surveys_build_question_update",
        request=SurveyQuestionInputSerializer,
        responses={200: SurveyBuildSerializer},
    )
    def patch(self, request: Request, slug: str, code: str) -> Response:
        """Change a question's settings, move it (``page``, ``position``), set its
        condition (null: always shown). Its choices change through their own paths."""
        questionnaire = organised(request, slug)
        question = _question(questionnaire, code)
        data = valid(SurveyQuestionInputSerializer, request, partial=True)
        for name in ("choices", "marker_choices"):
            if name in data:
                raise ValidationError(
                    {name: [_("Add, change or delete choices through the choices' paths.")]}
                )
        settings = {k: v for k, v in data.items() if k not in _SETTINGS_ONLY}
        with transaction.atomic():
            if settings:
                question = question_update(question, user=request.user, **settings)
            if "page" in data or "position" in data:
                page = _page(questionnaire, data["page"]) if "page" in data else question.page
                question_move(
                    question,
                    user=request.user,
                    page=page,
                    position=data.get("position", page.questions.count()),
                )
            if "shown_if" in data:
                _condition(question, questionnaire, data["shown_if"], request.user)
        return build_view(questionnaire)

    @extend_schema(operation_id="surveys_build_question_delete", responses={204: None})
    def delete(self, request: Request, slug: str, code: str) -> Response:
        """Delete a question (refused when it has answers or a condition reads it)."""
        questionnaire = organised(request, slug)
        question_delete(_question(questionnaire, code), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChoicesApi(OrganiserApi):
    @extend_schema(
        operation_id="surveys_build_choice_create",
        request=SurveyChoiceInputSerializer,
        responses={201: SurveyBuildSerializer},
    )
    def post(self, request: Request, slug: str, code: str) -> Response:
        """A new choice of the question (``for_marker``: a follow-up choice of its markers)."""
        questionnaire = organised(request, slug)
        question = _question(questionnaire, code)
        data = valid(SurveyChoiceInputSerializer, request)
        if "label" not in data:
            raise ValidationError({"label": [_("This field is required.")]})
        with transaction.atomic():
            choice = choice_create(
                question, user=request.user, label=data["label"], for_marker=data["for_marker"]
            )
            if "position" in data:
                choice_move(choice, user=request.user, position=data["position"])
        return build_view(questionnaire, status.HTTP_201_CREATED)


class ChoiceApi(OrganiserApi):
    def _choice(self, questionnaire: Questionnaire, code: str, pk: int) -> Choice:
        return get_object_or_404(Choice, question=_question(questionnaire, code), pk=pk)

    @extend_schema(
        operation_id="surveys_build_choice_update",
        request=SurveyChoiceInputSerializer,
        responses={200: SurveyBuildSerializer},
    )
    def patch(self, request: Request, slug: str, code: str, pk: int) -> Response:
        """Change a choice's wording or position."""
        questionnaire = organised(request, slug)
        choice = self._choice(questionnaire, code, pk)
        data = valid(SurveyChoiceInputSerializer, request, partial=True)
        with transaction.atomic():
            if "label" in data:
                choice_update(choice, user=request.user, label=data["label"])
            if "position" in data:
                choice_move(choice, user=request.user, position=data["position"])
        return build_view(questionnaire)

    @extend_schema(operation_id="surveys_build_choice_delete", responses={204: None})
    def delete(self, request: Request, slug: str, code: str, pk: int) -> Response:
        """Delete a choice (refused when an answer holds it or a condition reads it)."""
        questionnaire = organised(request, slug)
        choice_delete(self._choice(questionnaire, code, pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
