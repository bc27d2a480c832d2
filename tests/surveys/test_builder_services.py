# SPDX-License-Identifier: AGPL-3.0-or-later
"""The builder's services: each kind with the settings it takes, conditions on earlier
choice questions, reordering, publication, and who may build. A refusal writes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carto_concertation.surveys.models import Question, Questionnaire, SurveyPage
from carto_concertation.surveys.services.questionnaires import (
    choice_create,
    choice_delete,
    condition_set,
    page_create,
    page_delete,
    page_move,
    question_create,
    question_delete,
    question_move,
    question_update,
    questionnaire_create,
    questionnaire_publish,
    questionnaire_update,
)
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.concertations import ConcertationFactory
from tests.factories.plui_documents import zoned_plui
from tests.factories.territories import TerritoryFactory

from .builder_world import builder_world

pytestmark = pytest.mark.django_db


def _field(error: ValidationError) -> str:
    return next(iter(error.value.message_dict))


def test_a_questionnaire_takes_its_slug_from_its_title_and_refuses_reserved_ones():
    world = builder_world()
    assert world.questionnaire.slug == "plan-velo"
    assert not world.questionnaire.is_published
    for slug in ("gestion", "saisie"):
        with pytest.raises(ValidationError) as error:
            questionnaire_update(world.questionnaire, user=world.planner, slug=slug)
        assert _field(error) == "slug"
    other = questionnaire_create(
        user=world.planner,
        territory=world.territory,
        title="Plan vélo",
        opens_at=world.questionnaire.opens_at,
        closes_at=world.questionnaire.closes_at,
    )
    assert other.slug == "plan-velo-2"
    with pytest.raises(ValidationError) as error:
        questionnaire_update(other, user=world.planner, slug="plan-velo")
    assert _field(error) == "slug"


def test_dates_in_order_and_a_plui_of_the_territory():
    world = builder_world()
    with pytest.raises(ValidationError) as error:
        questionnaire_update(
            world.questionnaire,
            user=world.planner,
            closes_at=world.questionnaire.opens_at - timedelta(hours=1),
        )
    assert _field(error) == "closes_at"
    page = world.questionnaire.pages.first()
    question_create(page, user=world.planner, kind="zones", label="Quelles zones ?")
    with pytest.raises(ValidationError) as error:
        questionnaire_update(world.questionnaire, user=world.planner, zoning_document_id=None)
    assert _field(error) == "zoning_document"  # a zones question would have no zones


def test_only_the_territory_planners_build():
    world = builder_world()
    elsewhere = user_with_role("planner", TerritoryFactory())
    for user in (UserFactory(), elsewhere, user_with_role("moderator", world.territory)):
        with pytest.raises(PermissionDenied):
            page_create(world.questionnaire, user=user, title="Intrus")
        with pytest.raises(PermissionDenied):
            questionnaire_create(
                user=user,
                territory=world.territory,
                title="Intrus",
                opens_at=world.questionnaire.opens_at,
                closes_at=world.questionnaire.closes_at,
            )
    assert world.questionnaire.pages.count() == 2
    assert Questionnaire.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "extra", "field"),
    [
        ("scale", {"min_value": Decimal(1), "max_value": Decimal(7)}, "max_value"),
        ("scale", {"min_value": Decimal(2), "max_value": Decimal(10)}, "max_value"),
        ("number", {"min_value": Decimal(10), "max_value": Decimal(1)}, "max_value"),
        ("short_text", {"with_other": True}, "with_other"),
        ("ranking", {"with_other": True}, "with_other"),
        ("date", {"max_count": 2}, "max_count"),
        ("multiple", {"min_count": 3, "max_count": 2}, "max_count"),
        ("single", {"marker_comment": True}, "marker_comment"),
        ("number", {"min_label": "peu"}, "min_label"),
        ("long_text", {"code": "mode"}, "code"),
        ("long_text", {"code": "pas un code !"}, "code"),
        ("single", {"label": "  "}, "label"),
    ],
)
def test_each_kind_takes_its_own_settings(kind, extra, field):
    world = builder_world()
    page = world.questionnaire.pages.first()
    with pytest.raises(ValidationError) as error:
        question_create(page, user=world.planner, kind=kind, **{"label": "Q ?", **extra})
    assert _field(error) == field
    assert page.questions.count() == 1


def test_every_kind_is_built_with_its_settings():
    world = builder_world()
    page = page_create(world.questionnaire, user=world.planner, title="Tout")
    for kind in Question.Kind:
        question_create(page, user=world.planner, kind=kind, code=f"k-{kind}", label=f"{kind} ?")
    scale = Question.objects.get(code="k-scale")
    assert (scale.min_value, scale.max_value) == (1, 5)  # the default scale
    question_update(scale, user=world.planner, min_value=Decimal(0), max_value=Decimal(10))
    assert page.questions.count() == len(Question.Kind)


def test_zones_need_a_plui():
    world = builder_world()
    bare = questionnaire_create(
        user=world.planner,
        territory=world.territory,
        title="Sans PLUi",
        opens_at=world.questionnaire.opens_at,
        closes_at=world.questionnaire.closes_at,
    )
    page = page_create(bare, user=world.planner)
    with pytest.raises(ValidationError) as error:
        question_create(page, user=world.planner, kind="zones", label="Quelles zones ?")
    assert _field(error) == "kind"
    question_create(page, user=world.planner, kind="communes", label="Quelles communes ?")


def test_choices_belong_to_choice_kinds_and_markers_to_map_kinds():
    world = builder_world()
    with pytest.raises(ValidationError) as error:
        choice_create(world.places, user=world.planner, label="Oui")
    assert _field(error) == "choices"
    with pytest.raises(ValidationError) as error:
        choice_create(world.mode, user=world.planner, label="Suite", for_marker=True)
    assert _field(error) == "marker_choices"
    with pytest.raises(ValidationError) as error:
        choice_create(world.mode, user=world.planner, label="Vélo")
    assert _field(error) == "choices"
    assert world.mode.choices.count() == 3


def test_a_condition_reads_an_earlier_choice_question_and_its_own_choices():
    world = builder_world()
    first, second = world.questionnaire.pages.order_by("position")
    later = question_create(
        second, user=world.planner, kind="single", code="later", label="?", choices=["a", "b"]
    )
    text = question_create(first, user=world.planner, kind="short_text", code="t", label="?")
    cases = [
        (world.mode, later, [later.choices.first()], "shown_if_question"),  # a later question
        (first, world.mode, [world.mode.choices.first()], "shown_if_question"),  # its own page
        (world.places, text, [], "shown_if_question"),  # not a choice question
        (world.places, world.mode, [], "shown_if_choices"),  # no choice
        (world.places, world.mode, [later.choices.first()], "shown_if_choices"),
    ]
    for target, question, choices, field in cases:
        with pytest.raises(ValidationError) as error:
            condition_set(target, user=world.planner, question=question, choices=choices)
        assert _field(error) == field
    condition_set(
        second, user=world.planner, question=world.mode, choices=list(world.mode.choices.all()[:2])
    )
    assert set(second.shown_if_choices.values_list("label", flat=True)) == {"Vélo", "Voiture"}


def test_moves_that_would_break_a_condition_are_refused():
    world = builder_world()
    first, second = world.questionnaire.pages.order_by("position")
    with pytest.raises(ValidationError) as error:
        page_move(second, user=world.planner, position=0)
    assert _field(error) == "position"
    with pytest.raises(ValidationError) as error:
        question_move(world.mode, user=world.planner, page=second, position=1)
    assert _field(error) == "position"
    assert list(world.questionnaire.pages.order_by("position")) == [first, second]
    assert Question.objects.get(pk=world.mode.pk).page == first
    # Moving within the rules renumbers the positions.
    extra = question_create(first, user=world.planner, kind="date", code="quand", label="?")
    question_move(extra, user=world.planner, position=0)
    assert list(first.questions.order_by("position").values_list("code", flat=True)) == [
        "quand",
        "mode",
    ]


def test_deleting_what_a_condition_reads_is_refused_then_allowed_without_it():
    world = builder_world()
    first, second = world.questionnaire.pages.order_by("position")
    velo = world.mode.choices.get(label="Vélo")
    for call in (
        lambda: question_delete(world.mode, user=world.planner),
        lambda: page_delete(first, user=world.planner),
        lambda: choice_delete(velo, user=world.planner),
    ):
        with pytest.raises(ValidationError):
            call()
    condition_set(world.places, user=world.planner, question=None)
    choice_delete(velo, user=world.planner)
    assert list(world.mode.choices.values_list("label", "position")) == [
        ("Voiture", 0),
        ("À pied", 1),
    ]
    page_delete(first, user=world.planner)
    assert list(SurveyPage.objects.filter(questionnaire=world.questionnaire)) == [second]
    assert SurveyPage.objects.get(pk=second.pk).position == 0


def test_publication_needs_a_complete_questionnaire():
    world = builder_world()
    lonely = question_create(
        world.questionnaire.pages.first(),
        user=world.planner,
        kind="multiple",
        label="?",
        choices=["seul"],
    )
    with pytest.raises(ValidationError) as error:
        questionnaire_publish(world.questionnaire, user=world.planner)
    assert "two choices" in str(error.value)
    choice_create(lonely, user=world.planner, label="deux")
    assert questionnaire_publish(world.questionnaire, user=world.planner).is_published


def test_on_a_concertation_it_takes_its_territory_and_plui():
    world = builder_world()
    concertation = ConcertationFactory(
        territory=world.territory, plui_document=zoned_plui(world.territory)
    )
    questionnaire = questionnaire_create(
        user=world.planner,
        title="Sur la concertation",
        concertation_id=concertation.pk,
        opens_at=world.questionnaire.opens_at,
        closes_at=world.questionnaire.closes_at,
    )
    assert questionnaire.territory == world.territory
    assert questionnaire.zoning_document == concertation.plui_document
    elsewhere = ConcertationFactory()
    with pytest.raises(ValidationError) as error:
        questionnaire_update(questionnaire, user=world.planner, concertation_id=elsewhere.pk)
    assert _field(error) == "concertation"
    with pytest.raises(PermissionDenied):
        questionnaire_create(
            user=world.planner,
            title="Ailleurs",
            concertation_id=elsewhere.pk,
            opens_at=world.questionnaire.opens_at,
            closes_at=world.questionnaire.closes_at,
        )
