# SPDX-License-Identifier: AGPL-3.0-or-later
"""The check and the writes of a response (services/answers): every kind answered and
refused by the field, conditions, drafts, the dates."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carto_concertation.surveys.models import Answer, AnswerFeature, Response
from carto_concertation.surveys.selectors.answers import response_payload
from carto_concertation.surveys.services.answers import (
    AlreadyAnswered,
    NotOpen,
    answers_check,
    respondent_account,
    response_draft_save,
    response_submit,
)
from tests.factories import UserFactory
from tests.factories.surveys import ChoiceFactory, QuestionFactory, SurveyPageFactory

from .answers_world import area, choice_ids, collection, full_payload, make_questionnaire, point

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    questionnaire, questions = make_questionnaire()
    return questionnaire, questions


def test_every_kind_answered_is_stored_as_given(world):
    questionnaire, questions = world
    payload = full_payload(questionnaire, questions)
    who = respondent_account(questionnaire, UserFactory())
    response = response_submit(questionnaire=questionnaire, respondent=who, payload=payload)
    assert response.status == Response.Status.SUBMITTED
    assert Answer.objects.filter(response=response).count() == len(payload)
    text = Answer.objects.get(response=response, question__code="short_text").text
    assert text == "Une piste <script>alert(1)</script> à l’école"
    assert Answer.objects.get(question__code="number").number == Decimal("12.5")
    stored = response_payload(response)
    assert stored["ranking"] == payload["ranking"]
    assert stored["multiple"][-1] == {"other": "Le vélo cargo"}
    assert stored["scale"] == 4 and stored["date"] == "2026-05-01"
    points = AnswerFeature.objects.filter(answer__question__code="points").order_by("position")
    assert [f.comment for f in points] == ["Dangereux", "Dangereux"]
    assert points[0].geom.srid == 2154 or points[0].geom.srid is not None


@pytest.mark.parametrize(
    ("code", "value", "key"),
    [
        ("single", 999999, "single"),
        ("multiple", [999999], "multiple"),
        ("scale", 6, "scale"),
        ("scale", "3.5", "scale"),
        ("number", 101, "number"),
        ("date", "01/05/2026", "date"),
        ("short_text", "x" * 301, "short_text"),
        ("ranking", [1], "ranking"),
        ("communes", [999999], "communes.0"),
        ("nope", 1, "nope"),
    ],
)
def test_bad_values_are_refused_by_field(world, code, value, key):
    questionnaire, questions = world
    payload = full_payload(questionnaire, questions) | {code: value}
    with pytest.raises(ValidationError) as refused:
        answers_check(questionnaire, payload)
    assert key in refused.value.message_dict


def test_map_answers_outside_wrong_kind_or_too_many_are_refused(world):
    questionnaire, questions = world
    payload = full_payload(questionnaire, questions)
    far = {"type": "Point", "coordinates": [-1.5, 47.2]}
    cases = {
        "points.0": {"points": collection(far)},
        "points.1": {"points": collection(point(questionnaire), area(questionnaire))},
        "points": {"points": collection(*(point(questionnaire, n) for n in range(4)))},
        "area.0.choice": {
            "area": collection(area(questionnaire), choice=choice_ids(questions["single"])[0])
        },
    }
    for key, change in cases.items():
        with pytest.raises(ValidationError) as refused:
            answers_check(questionnaire, payload | change)
        assert key in refused.value.message_dict, (key, refused.value.message_dict)


def test_required_question_and_hidden_question(world):
    questionnaire, questions = world
    page = SurveyPageFactory(questionnaire=questionnaire)
    trigger = questions["single"]
    wanted = trigger.choices.filter(for_marker=False).order_by("position").first()
    follow = QuestionFactory(page=page, kind="short_text", code="why", required=True)
    follow.shown_if_question = trigger
    follow.save()
    follow.shown_if_choices.add(wanted)
    payload = full_payload(questionnaire, questions)
    with pytest.raises(ValidationError) as refused:
        answers_check(questionnaire, payload | {"single": wanted.pk})
    assert "why" in refused.value.message_dict
    other = choice_ids(trigger)[1]
    clean = answers_check(questionnaire, payload | {"single": other, "why": "dropped"})
    assert "why" not in clean


def test_draft_then_submit_and_no_second_response(world):
    questionnaire, questions = world
    who = respondent_account(questionnaire, UserFactory())
    payload = full_payload(questionnaire, questions)
    draft = response_draft_save(
        questionnaire=questionnaire, respondent=who, payload={"scale": 2}, current_page=1
    )
    assert draft.status == Response.Status.DRAFT and response_payload(draft) == {"scale": 2}
    response = response_submit(questionnaire=questionnaire, respondent=who, payload=payload)
    assert response.pk == draft.pk
    with pytest.raises(AlreadyAnswered) as refused:
        response_submit(questionnaire=questionnaire, respondent=who, payload=payload)
    assert "respondent" in refused.value.message_dict
    assert Response.objects.count() == 1


def test_closed_questionnaire_takes_nothing(world):
    questionnaire, questions = world
    questionnaire.closes_at = timezone.now() - timedelta(minutes=1)
    questionnaire.opens_at = timezone.now() - timedelta(days=2)
    questionnaire.save()
    who = respondent_account(questionnaire, UserFactory())
    with pytest.raises(NotOpen) as refused:
        response_submit(
            questionnaire=questionnaire,
            respondent=who,
            payload=full_payload(questionnaire, questions),
        )
    assert "questionnaire" in refused.value.message_dict
    assert not Response.objects.exists()


def test_unknown_marker_choice_is_refused(world):
    questionnaire, questions = world
    stranger = ChoiceFactory(question=questions["single"], position=9)
    payload = full_payload(questionnaire, questions)
    payload["points"] = collection(point(questionnaire), choice=stranger.pk)
    with pytest.raises(ValidationError) as refused:
        answers_check(questionnaire, payload)
    assert "points.0.choice" in refused.value.message_dict


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": []},
        {"type": "Point", "coordinates": ["a", "b"]},
        {"type": "Point", "coordinates": [1e308, 1e308]},
        {"type": "Point"},
        "not an object",
    ],
)
def test_broken_geometries_are_refused_with_the_marker_named(world, geometry):
    questionnaire, questions = world
    payload = full_payload(questionnaire, questions)
    payload["points"] = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": geometry}],
    }
    with pytest.raises(ValidationError) as refused:
        answers_check(questionnaire, payload)
    assert "points.0" in refused.value.message_dict


def test_self_intersecting_area_and_nan_text_are_refused(world):
    questionnaire, questions = world
    (x0, y0), (x1, y1) = (point(questionnaire, n)["coordinates"] for n in (0, 60))
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]],
    }
    payload = full_payload(questionnaire, questions) | {"area": collection(bow_tie)}
    with pytest.raises(ValidationError) as refused:
        answers_check(questionnaire, payload)
    assert "Self-intersection" in refused.value.message_dict["area.0"][0]
    text = '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [NaN, 1]}}]}'
    with pytest.raises(ValidationError) as refused:
        answers_check(questionnaire, payload | {"area": None, "points": text})
    assert "points" in refused.value.message_dict


def test_an_elevation_is_dropped(world):
    questionnaire, _questions = world
    lon, lat = point(questionnaire)["coordinates"]
    payload = {"points": collection({"type": "Point", "coordinates": [lon, lat, 152.0]})}
    clean = answers_check(questionnaire, payload)
    assert not clean["points"].features[0].geom.hasz
