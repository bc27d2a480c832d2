# SPDX-License-Identifier: AGPL-3.0-or-later
"""The consultation's demo, loaded with the real demo (load_demo, once for the module): the
Plan vélo open with a few hundred responses and its first results published, with every
kind of question a mobility planner asks; a closed sondage; a draft."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count

from carto_concertation.core.modules import space_public
from carto_concertation.site.demo import DEMO_SIREN
from carto_concertation.surveys.models import (
    AnswerChoice,
    AnswerFeature,
    Question,
    Questionnaire,
    Response,
)
from carto_concertation.surveys.selectors.listing import State, questionnaire_state
from carto_concertation.surveys.selectors.questionnaires import (
    questionnaire_perimeter,
    questionnaire_zones,
)

pytestmark = [pytest.mark.django_db, pytest.mark.real_demo]


@pytest.fixture
def plan(demo_world) -> Questionnaire:
    return Questionnaire.objects.get(slug="plan-velo-des-trois-provinces")


def test_the_demo_has_an_open_a_closed_and_a_draft_questionnaire(plan):
    questionnaires = Questionnaire.objects.filter(territory__siren=DEMO_SIREN)
    states = {q.slug: (questionnaire_state(q), q.is_published) for q in questionnaires}
    assert states == {
        plan.slug: (State.OPEN, True),
        "sondage-navette-du-marche": (State.CLOSED, True),
        "stationnement-velo-aux-gares": (State.UPCOMING, False),
    }
    assert plan.results_published and plan.results_summary
    assert plan.zoning_document is not None and plan.zoning_document.territory == plan.territory
    # It belongs to the demo concertation, which now holds the module.
    space = space_public(plan.concertation.slug)
    assert "surveys" in space.modules


def test_the_plan_velo_asks_every_kind_a_planner_needs(plan):
    questions = Question.objects.filter(page__questionnaire=plan)
    kinds = set(questions.values_list("kind", flat=True))
    assert {"single", "multiple", "scale", "ranking", "short_text", "long_text"} <= kinds
    assert {"points", "line", "area", "zones"} <= kinds
    mode = questions.get(code="mode")
    assert mode.with_other and mode.required
    unsafe = questions.get(code="insecurite")
    assert unsafe.max_count == 5 and unsafe.marker_comment
    assert unsafe.choices.filter(for_marker=True).count() == 4
    route = questions.get(code="trajet")
    assert route.shown_if_question.code == "motifs"
    assert [c.label for c in route.shown_if_choices.all()] == ["École"]
    scale = questions.get(code="securite")
    assert (scale.min_value, scale.max_value) == (1, 5)


def test_the_responses_are_a_few_hundred_from_every_channel(plan):
    responses = Response.objects.filter(questionnaire=plan)
    submitted = responses.filter(status=Response.Status.SUBMITTED)
    assert 250 <= submitted.count() <= 300 and responses.filter(status="draft").exists()
    channels = Counter(submitted.values_list("channel", flat=True))
    assert channels["paper"] >= 10 and channels["workshop"] >= 10
    relayed = submitted.exclude(channel="online")
    assert not relayed.exclude(respondent_key="").exists()
    assert not relayed.filter(entered_by__isnull=True).exists()
    online = submitted.filter(channel="online")
    assert not online.filter(respondent_key="").exists()
    assert submitted.filter(user__email="habitant@demo.invalid").count() == 1
    assert not submitted.filter(submitted_at__gt=plan.closes_at).exists()
    assert not submitted.filter(submitted_at__lt=plan.opens_at).exists()


def test_the_answers_hold_the_rules_of_their_questions(plan):
    answers = AnswerChoice.objects.filter(answer__response__questionnaire=plan)
    # One choice per single-choice answer; a ranking ranks every choice once.
    singles = answers.filter(answer__question__code="mode").values("answer")
    assert not singles.annotate(n=Count("pk")).filter(n__gt=1).exists()
    rankings = answers.filter(answer__question__code="priorites")
    by_answer = Counter(rankings.values_list("answer", flat=True))
    assert by_answer and set(by_answer.values()) == {4}
    # The route only for those who go to school by bike.
    routes = Response.objects.filter(questionnaire=plan, answers__question__code="trajet")
    assert routes.exists()
    assert not routes.exclude(answers__choices__choice__label="École").exists()
    # Required questions answered by every submitted response.
    submitted = Response.objects.filter(questionnaire=plan, status="submitted")
    assert not submitted.exclude(answers__question__code="securite").exists()
    # Free texts: some published, some waiting for moderation.
    texts = Counter(
        plan.responses.filter(answers__question__code="idees").values_list(
            "answers__text_moderation", flat=True
        )
    )
    assert texts["published"] > 0 and texts["pending"] > 0


def test_the_map_answers_lie_inside_the_perimeter_clustered_and_well_kinded(plan):
    perimeter = questionnaire_perimeter(plan)
    features = AnswerFeature.objects.filter(answer__response__questionnaire=plan)
    drawn = features.filter(geom__isnull=False)
    assert drawn.count() > 200
    assert not drawn.exclude(geom__within=perimeter).exists()
    kinds = {"insecurite": "Point", "trajet": "LineString", "proteger": "Polygon"}
    for code, geom_type in kinds.items():
        shapes = {f.geom.geom_type for f in drawn.filter(answer__question__code=code)}
        assert shapes == {geom_type}, code
    points = Counter(
        features.filter(answer__question__code="insecurite").values_list("answer", flat=True)
    )
    assert max(points.values()) <= 5
    assert features.filter(answer__question__code="insecurite", marker_choice__isnull=False)
    # Clustered: most points lie within a kilometre of one of a few centres.
    sample = [f.geom for f in drawn.filter(answer__question__code="insecurite")[:100]]
    centres = sample[:1]
    for point in sample:
        if all(point.distance(c) > 2000 for c in centres):
            centres.append(point)
    assert len(centres) <= 8
    zones = features.filter(answer__question__code="zones")
    assert zones.exists()
    assert not zones.exclude(zone__in=questionnaire_zones(plan)).exists()


def test_load_demo_again_adds_nothing(plan):
    before = (Questionnaire.objects.count(), Response.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Questionnaire.objects.count(), Response.objects.count()) == before
