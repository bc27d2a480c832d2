# SPDX-License-Identifier: AGPL-3.0-or-later
"""A questionnaire of every kind of question with a few hundred random responses (seeded):
drafts among them (never counted), "other" answers, a scale asked only to those who chose
the single choice's first answer, texts and comments in each moderation, points, lines
and areas over the two communes and their PLUi zones, picked zones and communes. Written
with the factories (bulk for the answers' rows, which are many)."""

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.gis.geos import LineString, Point

from carto_concertation.accounts.models import Role
from carto_concertation.surveys.models import (
    Answer,
    AnswerChoice,
    AnswerFeature,
    Question,
    Questionnaire,
    Response,
)
from carto_concertation.surveys.models.responses import TextModeration
from carto_concertation.surveys.selectors.questionnaires import (
    questionnaire_communes,
    questionnaire_zones,
)
from tests.factories.accounts import UserFactory, user_with_role
from tests.factories.plui_documents import zoned_plui
from tests.factories.surveys import (
    AnswerChoiceFactory,
    AnswerFactory,
    AnswerFeatureFactory,
    QuestionnaireFactory,
    ResponseFactory,
    every_kind,
)
from tests.factories.territories import TerritoryFactory

Kind = Question.Kind
MODERATIONS = list(TextModeration.values)


@dataclass
class ResultsWorld:
    questionnaire: Questionnaire
    questions: dict[str, Question]
    planner: object
    moderator: object
    resident: object


def _inside(rng: random.Random, commune) -> Point:
    xmin, ymin, xmax, ymax = commune.geom.extent
    return Point(
        rng.uniform(xmin + 10, xmax - 10), rng.uniform(ymin + 10, ymax - 10), srid=commune.geom.srid
    )


def _geometry(rng: random.Random, kind: str, communes: list):
    start = _inside(rng, rng.choice(communes))
    if kind == Kind.POINTS:
        return start
    if kind == Kind.LINE:
        # Often from one commune to the other: a line touching two communes and zones.
        return LineString(start, _inside(rng, rng.choice(communes)), srid=start.srid)
    return start.buffer(rng.uniform(50, 400), quadsegs=4)


def _answers(rng, response, questions, first, communes, zones, rows) -> None:
    chosen = rng.choice([*questions["single"].own, None, "other", "skip"])
    for code, question in questions.items():
        if code == "scale" and chosen != first:
            continue  # the condition: asked only after the first choice
        if code != "single" and rng.random() < 0.1:
            continue  # an optional question left out
        answer = AnswerFactory.build(response=response, question=question)
        choices, features = [], []
        own = (
            list(question.choices.filter(for_marker=False))
            if question.kind in Question.CHOICE_KINDS
            else []
        )
        if code == "single":
            if chosen == "skip" or chosen is None:
                continue
            if chosen == "other":
                answer.text = rng.choice(["À pied <b>&</b> en bus", "Trottinette", "Covoiturage"])
            else:
                choices = [(chosen, None)]
        elif question.kind == Kind.MULTIPLE:
            choices = [(c, None) for c in rng.sample(own, rng.randint(0, 3))]
            if rng.random() < 0.2 or not choices:
                answer.text = rng.choice(["Train", "Cheval", "Roller"])
        elif question.kind == Kind.RANKING:
            picked = rng.sample(own, rng.randint(1, 3))
            choices = [(c, rank) for rank, c in enumerate(picked, start=1)]
        elif question.kind == Kind.SCALE:
            answer.number = Decimal(rng.randint(1, 5))
        elif question.kind == Kind.NUMBER:
            answer.number = Decimal(rng.randint(0, 40)) / 2
        elif question.kind == Kind.DATE:
            answer.date = date(2026, rng.randint(1, 6), rng.randint(1, 28))
        elif question.kind in Question.TEXT_KINDS:
            answer.text = f"Texte {rng.randint(1, 10_000)} de <i>riverain</i>"
        else:
            follow = question.follow
            for position in range(rng.randint(1, 3)):
                feature = {"geom": None}
                if question.kind == Kind.ZONES:
                    feature["zone"] = rng.choice(zones)
                elif question.kind == Kind.COMMUNES:
                    feature["commune"] = rng.choice(communes)
                else:
                    feature["geom"] = _geometry(rng, question.kind, communes)
                feature["marker_choice"] = rng.choice([*follow, None])
                if rng.random() < 0.5:
                    feature["comment"] = f"Ici {rng.randint(1, 999)} <danger>"
                    feature["comment_moderation"] = rng.choice(MODERATIONS)
                features.append((position, feature))
        if answer.text and question.kind in Question.TEXT_KINDS | Question.CHOICE_KINDS:
            answer.text_moderation = rng.choice(MODERATIONS)
        rows.append((answer, choices, features))


def results_world(responses: int = 240, seed: int = 20) -> ResultsWorld:
    rng = random.Random(seed)  # noqa: S311 — seeded test data, nothing secret
    territory = TerritoryFactory(communes=2)
    document = zoned_plui(territory)
    questionnaire = QuestionnaireFactory(
        territory=territory, zoning_document=document, title="Plan vélo <2026>"
    )
    questions = every_kind(questionnaire)
    single = questions["single"]
    first = single.choices.filter(for_marker=False).order_by("position").first()
    scale = questions["scale"]
    scale.shown_if_question = single
    scale.save()
    scale.shown_if_choices.set([first])
    for question in questions.values():
        # Read once: the loop below draws from them thousands of times.
        question.own = list(question.choices.filter(for_marker=False).order_by("position"))
        question.follow = list(question.choices.filter(for_marker=True).order_by("position"))
    communes = list(questionnaire_communes(questionnaire))
    zones = list(questionnaire_zones(questionnaire))
    rows: list = []
    responses_built: list[Response] = []
    for index in range(responses):
        # One in eight stays a draft: its answers must never count.
        draft = index % 8 == 7
        extra = {"status": Response.Status.DRAFT, "submitted_at": None} if draft else {}
        response = ResponseFactory.build(questionnaire=questionnaire, **extra)
        responses_built.append(response)
        _answers(rng, response, questions, first, communes, zones, rows)
    Response.objects.bulk_create(responses_built)
    _write(rows)
    return ResultsWorld(
        questionnaire=questionnaire,
        questions=questions,
        planner=user_with_role(Role.PLANNER, territory),
        moderator=user_with_role(Role.MODERATOR, territory),
        resident=UserFactory(),
    )


def _write(rows) -> None:
    answers = Answer.objects.bulk_create([answer for answer, _c, _f in rows])
    choices, features = [], []
    for answer, (_a, picked, drawn) in zip(answers, rows, strict=True):
        choices += [
            AnswerChoiceFactory.build(answer=answer, choice=choice, rank=rank)
            for choice, rank in picked
        ]
        features += [
            AnswerFeatureFactory.build(answer=answer, position=position, **feature)
            for position, feature in drawn
        ]
    AnswerChoice.objects.bulk_create(choices)
    AnswerFeature.objects.bulk_create(features)
