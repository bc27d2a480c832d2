# SPDX-License-Identifier: AGPL-3.0-or-later
"""Once the first response exists, every edit that would break earlier answers is
refused with the reason, and writes nothing; wording fixes, new optional questions, new
choices and wider dates still go through."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from carto_concertation.surveys.models import Question
from carto_concertation.surveys.services.questionnaires import (
    choice_create,
    choice_delete,
    choice_update,
    condition_set,
    page_create,
    page_delete,
    question_create,
    question_delete,
    question_update,
    questionnaire_update,
)
from tests.factories.surveys import AnswerChoiceFactory, AnswerFactory, ResponseFactory

from .builder_world import builder_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    """The builder's world with one response choosing "Vélo", and a few more questions
    built before it."""
    world = builder_world()
    first = world.questionnaire.pages.first()
    world.scale = question_create(first, user=world.planner, kind="scale", code="note", label="?")
    world.number = question_create(
        first,
        user=world.planner,
        kind="number",
        code="km",
        label="?",
        min_value=Decimal(0),
        max_value=Decimal(50),
    )
    world.multi = question_create(
        first,
        user=world.planner,
        kind="multiple",
        code="motifs",
        label="?",
        choices=["a", "b", "c"],
        max_count=2,
    )
    world.spare_page = page_create(world.questionnaire, user=world.planner, title="Vide")
    response = ResponseFactory(questionnaire=world.questionnaire)
    world.answer = AnswerFactory(response=response, question=world.mode)
    AnswerChoiceFactory(answer=world.answer, choice=world.mode.choices.get(label="Vélo"))
    return world


def _refused(call, field: str) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    assert field in error.value.message_dict, error.value.message_dict
    return " ".join(error.value.message_dict[field])


@pytest.mark.parametrize(
    ("question", "fields", "field"),
    [
        ("mode", {"kind": "multiple"}, "kind"),
        ("mode", {"required": True}, "required"),
        ("mode", {"with_other": False}, "with_other"),
        ("scale", {"min_value": Decimal(0), "max_value": Decimal(10)}, None),  # wider: allowed
        ("number", {"min_value": Decimal(1)}, "min_value"),
        ("number", {"max_value": Decimal(40)}, "max_value"),
        ("multi", {"max_count": 1}, "max_count"),
        ("multi", {"max_count": 0}, None),  # no limit: wider
        ("multi", {"min_count": 1}, "min_count"),
        ("places", {"max_count": 2}, "max_count"),
        ("places", {"kind": "line"}, "kind"),
    ],
)
def test_edits_that_would_break_answers_are_refused(answered, question, fields, field):
    target = answered.mode if question == "mode" else getattr(answered, question)
    before = {name: getattr(target, name) for name in fields}
    if field is None:
        question_update(target, user=answered.planner, **fields)
        return
    reason = _refused(lambda: question_update(target, user=answered.planner, **fields), field)
    assert "has answers" in reason
    target.refresh_from_db()
    assert {name: getattr(target, name) for name in fields} == before


def test_deleting_what_has_answers_is_refused(answered):
    first = answered.mode.page
    velo = answered.mode.choices.get(label="Vélo")
    condition_set(
        answered.places, user=answered.planner, question=answered.mode, choices=[velo]
    )  # unchanged: allowed
    _refused(lambda: question_delete(answered.mode, user=answered.planner), "question")
    _refused(lambda: page_delete(first, user=answered.planner), "page")
    velo_only_answer = answered.mode.choices.get(label="À pied")
    choice_delete(velo_only_answer, user=answered.planner)  # no answer holds it
    AnswerChoiceFactory(answer=answered.answer, choice=answered.mode.choices.get(label="Voiture"))
    voiture = answered.mode.choices.get(label="Voiture")
    reason = _refused(lambda: choice_delete(voiture, user=answered.planner), "choice")
    assert "answers" in reason
    # Questions and pages without answers still go.
    question_delete(answered.scale, user=answered.planner)
    page_delete(answered.spare_page, user=answered.planner)


def test_conditions_no_longer_change(answered):
    voiture = answered.mode.choices.get(label="Voiture")
    reason = _refused(
        lambda: condition_set(
            answered.places, user=answered.planner, question=answered.mode, choices=[voiture]
        ),
        "shown_if_question",
    )
    assert "condition" in reason
    _refused(
        lambda: condition_set(answered.places, user=answered.planner, question=None),
        "shown_if_question",
    )
    assert list(answered.places.shown_if_choices.values_list("label", flat=True)) == ["Vélo"]


def test_wording_new_optional_questions_new_choices_and_wider_dates_go_through(answered):
    question_update(
        answered.mode,
        user=answered.planner,
        label="Votre mode principal ?",
        help_text="Le plus fréquent.",
    )
    choice_update(
        answered.mode.choices.get(label="Vélo"), user=answered.planner, label="Vélo (y compris VAE)"
    )
    choice_create(answered.mode, user=answered.planner, label="Transports en commun")
    question_create(
        answered.mode.page, user=answered.planner, kind="long_text", label="Autre chose ?"
    )
    _refused(
        lambda: question_create(
            answered.mode.page, user=answered.planner, kind="date", label="?", required=True
        ),
        "required",
    )
    q = answered.questionnaire
    questionnaire_update(
        q,
        user=answered.planner,
        title="Plan vélo 2027",
        closes_at=q.closes_at + timedelta(days=7),
        opens_at=q.opens_at - timedelta(days=1),
    )
    _refused(
        lambda: questionnaire_update(
            q, user=answered.planner, closes_at=q.closes_at - timedelta(days=1)
        ),
        "closes_at",
    )
    _refused(
        lambda: questionnaire_update(
            q, user=answered.planner, opens_at=q.opens_at + timedelta(hours=1)
        ),
        "opens_at",
    )
    _refused(
        lambda: questionnaire_update(q, user=answered.planner, respondents="device"), "respondents"
    )
    _refused(
        lambda: questionnaire_update(q, user=answered.planner, zoning_document_id=None),
        "zoning_document",
    )
    assert Question.objects.filter(page__questionnaire=q).count() == 6
