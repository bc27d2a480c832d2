# SPDX-License-Identifier: AGPL-3.0-or-later
"""Consultation: questionnaires, their pages, questions and choices, and responses,
through the models. A questionnaire is published and open now (opened yesterday, closes in
a week) on a territory of two communes, answered by signed-in residents.
``every_kind(questionnaire)`` adds a page holding one question of each kind, codes named
after their kinds; ``QuestionFactory(choices=3)`` gives a question three choices."""

from datetime import timedelta

import factory
from django.utils import timezone

from carto_concertation.surveys.models import (
    Answer,
    AnswerChoice,
    AnswerFeature,
    Choice,
    Question,
    Questionnaire,
    Response,
    ResponseLink,
    SurveyPage,
    ZoneResult,
)

from .geometry import spot
from .plui_documents import zoned_plui
from .territories import TerritoryFactory

Kind = Question.Kind


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    territory = factory.SubFactory(TerritoryFactory, communes=2)
    title = factory.Sequence(lambda n: f"Questionnaire mobilité n° {n}")
    slug = factory.Sequence(lambda n: f"questionnaire-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    is_published = True


class SurveyPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyPage

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    position = factory.LazyAttribute(lambda o: o.questionnaire.pages.count())
    title = factory.Sequence(lambda n: f"Page {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    page = factory.SubFactory(SurveyPageFactory)
    position = factory.LazyAttribute(lambda o: o.page.questions.count())
    code = factory.Sequence(lambda n: f"q{n}")
    kind = Kind.SINGLE
    label = factory.Sequence(lambda n: f"Question n° {n} ?")

    @factory.post_generation
    def choices(question, create, count, **kwargs):
        for index in range(count or 0):
            ChoiceFactory(question=question, position=index, label=f"Choix {index + 1}")

    @factory.post_generation
    def marker_choices(question, create, count, **kwargs):
        for index in range(count or 0):
            ChoiceFactory(
                question=question, position=index, label=f"Suite {index + 1}", for_marker=True
            )


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    position = factory.LazyAttribute(lambda o: o.question.choices.filter(for_marker=False).count())
    label = factory.Sequence(lambda n: f"Choix n° {n}")


def every_kind(questionnaire: Questionnaire, *, required: bool = False) -> dict[str, Question]:
    """A new page of ``questionnaire`` with one question of each kind, by kind: choices
    have three choices (single and multiple with "other"), the scale runs 1–5, the number
    0–100, the multiple choice and the points take at most 3, and every map question has
    two follow-up choices and a comment on each marker."""
    page = SurveyPageFactory(questionnaire=questionnaire)
    questions = {}
    for kind in Kind:
        extra: dict = {}
        if kind in Question.CHOICE_KINDS:
            extra["choices"] = 3
            extra["with_other"] = kind != Kind.RANKING
        if kind == Kind.MULTIPLE or kind == Kind.POINTS:
            extra["max_count"] = 3
        if kind == Kind.SCALE:
            extra.update(min_value=1, max_value=5, min_label="Pas du tout", max_label="Tout à fait")
        if kind == Kind.NUMBER:
            extra.update(min_value=0, max_value=100)
        if kind in Question.MAP_KINDS:
            extra.update(
                marker_choices=2, marker_comment=True, marker_choice_label="Pourquoi ici ?"
            )
        questions[kind.value] = QuestionFactory(
            page=page, kind=kind, code=kind.value, required=required, **extra
        )
    return questions


class ResponseFactory(factory.django.DjangoModelFactory):
    """A submitted online response with no person (give ``user`` and ``respondent_key``
    for one)."""

    class Meta:
        model = Response

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    status = Response.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory)


class AnswerChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnswerChoice

    answer = factory.SubFactory(AnswerFactory)
    choice = factory.SubFactory(ChoiceFactory)


class AnswerFeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnswerFeature

    """A point in the questionnaire's territory (give ``zone`` or ``commune`` and
    ``geom=None`` for a pick)."""

    answer = factory.SubFactory(AnswerFactory, question__kind=Kind.POINTS)
    position = factory.LazyAttribute(lambda o: o.answer.features.count())
    geom = factory.LazyAttribute(
        lambda o: spot(o.answer.response.questionnaire.territory.geom, o.position)
    )


class ResponseLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponseLink

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    email_key = factory.Sequence(lambda n: f"{n:064x}")


class ZoneResultFactory(factory.django.DjangoModelFactory):
    """A row of the results per zone, which a database view reads (never written): a
    points question of a questionnaire on a zoned PLUi, with its results published,
    answered once with a point in the first zone of the territory's first commune."""

    class Meta:
        model = ZoneResult

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        questionnaire = QuestionnaireFactory(results_published=True, results_summary="Merci.")
        questionnaire.zoning_document = zoned_plui(questionnaire.territory)
        questionnaire.save(update_fields=["zoning_document"])
        commune = questionnaire.territory.communes.order_by("pk").first()
        answer = AnswerFactory(
            response__questionnaire=questionnaire,
            question__page__questionnaire=questionnaire,
            question__kind=Kind.POINTS,
        )
        AnswerFeatureFactory(answer=answer, geom=spot(commune.geom))
        return model_class.objects.get(question=answer.question)
