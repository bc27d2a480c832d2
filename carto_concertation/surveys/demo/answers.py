# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo's generated responses, written in bulk: choices drawn with uneven weights (so
the charts have a shape), free texts some published, some waiting for moderation, and map
answers clustered around the centres of a few communes (so the heat map shows places),
always inside the questionnaire's perimeter. A few are paper and workshop responses typed
in by the relay, a few are drafts; the demo resident's is one of them."""

import random
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.gis.geos import LineString, Point, Polygon
from django.contrib.gis.geos.prepared import PreparedGeometry
from django.db.models import F
from django.utils import timezone

from carto_concertation.territories.models import Commune

from ..models import Answer, AnswerChoice, AnswerFeature, Question, Questionnaire, Response
from ..models.responses import TextModeration
from ..selectors.questionnaires import questionnaire_perimeter, questionnaire_zones
from ..services.answers.respondents import respondent_account, respondent_device
from .content import BRAKES, COMMENTS, IDEAS

# The clusters: the centres of these communes when the territory has them (the demo's:
# Sancoins, Vereaux, Mornay-sur-Allier, Grossouvre), else of its first four.
CLUSTER_INSEE = ("18242", "18275", "18155", "18106")
SPREAD = 350  # metres: the standard deviation of a marker around its cluster's centre
AREA_RADIUS = 150  # metres
OTHER_TEXTS = ("Trottinette", "Covoiturage", "Moto")
RELAYED_SHARE = 0.1  # of the responses: typed in by the relay, half paper, half workshop
DRAFT_SHARE = 0.03
SKIP_SHARE = 0.15  # an optional question left blank


@dataclass
class DemoWorld:
    """Where the markers go and what the zone questions pick from."""

    rng: random.Random
    perimeter: PreparedGeometry
    centres: list[Point]
    zones: list[int]

    @classmethod
    def of(cls, questionnaire: Questionnaire, rng: random.Random) -> "DemoWorld":
        communes = Commune.objects.filter(
            territory=questionnaire.territory, insee__in=CLUSTER_INSEE
        ).order_by("insee")
        if not communes:
            communes = Commune.objects.filter(territory=questionnaire.territory).order_by("insee")[
                :4
            ]
        # The urban zones first: that is where bikes are parked.
        zones = questionnaire_zones(questionnaire)
        urban = zones.filter(typezone__startswith="U")
        return cls(
            rng=rng,
            perimeter=questionnaire_perimeter(questionnaire).prepared,
            centres=[commune.geom.point_on_surface for commune in communes],
            zones=list((urban if urban.exists() else zones).values_list("pk", flat=True)[:40]),
        )

    def place(self, centre: Point | None = None, spread: float = SPREAD) -> Point:
        """A point around a centre (a cluster's, by default), inside the perimeter."""
        centre = centre or self.rng.choice(self.centres)
        for _attempt in range(20):
            x = centre.x + self.rng.gauss(0, spread)
            y = centre.y + self.rng.gauss(0, spread)
            point = Point(x, y, srid=centre.srid)
            if self.perimeter.contains(point):
                return point
        return centre

    def line(self) -> LineString:
        """A trip from home to school: three bends towards a cluster's centre."""
        school = self.rng.choice(self.centres)
        home = self.place(school, spread=SPREAD * 3)
        middle = self.place(
            Point((home.x + school.x) / 2, (home.y + school.y) / 2, srid=home.srid), 80
        )
        return LineString(home, middle, self.place(school, 60), srid=home.srid)

    def area(self) -> Polygon:
        """A small hexagon around a place, inside the perimeter."""
        for _attempt in range(20):
            centre, size = self.place(), AREA_RADIUS * self.rng.uniform(0.6, 1.4)
            hexagon = Point(centre.x, centre.y, srid=centre.srid).buffer(size, quadsegs=1)
            if self.perimeter.contains(hexagon):
                return hexagon
        return self.centres[0].buffer(10, quadsegs=1)


@dataclass
class Generated:
    submitted: int
    relayed: int


def responses_generate(
    questionnaire: Questionnaire,
    questions: list[Question],
    world: DemoWorld,
    *,
    total: int,
    relay=None,
    resident=None,
) -> Generated:
    """``total`` responses, submitted between the opening and now (or the closing)."""
    rng = world.rng
    start = questionnaire.opens_at
    end = min(timezone.now(), questionnaire.closes_at)
    relayed = round(total * RELAYED_SHARE) if relay is not None else 0
    drafts = round(total * DRAFT_SHARE)
    responses = []
    for n in range(total):
        at = start + (end - start) * rng.random()
        response = Response(
            questionnaire=questionnaire, status=Response.Status.SUBMITTED, submitted_at=at
        )
        if n < relayed:
            response.channel = Response.Channel.PAPER if n % 2 else Response.Channel.WORKSHOP
            response.key = uuid.UUID(int=rng.getrandbits(128))
            response.entered_by = relay
        elif n == total - 1 and resident is not None:
            # Keyed as the answering pages key an account: the resident cannot answer twice.
            response.user = resident
            response.respondent_key = respondent_account(questionnaire, resident).key
        else:
            response.respondent_key = respondent_device(questionnaire, f"demo {n}").key
        if relayed <= n < relayed + drafts:
            response.status, response.submitted_at = Response.Status.DRAFT, None
        responses.append(response)
    Response.objects.bulk_create(responses)
    # started_at is set at the write: the demo's respondents took a few minutes.
    Response.objects.filter(questionnaire=questionnaire, submitted_at__isnull=False).update(
        started_at=F("submitted_at") - timedelta(minutes=9)
    )
    _answers(responses, questions, world)
    submitted = sum(r.status == Response.Status.SUBMITTED for r in responses)
    return Generated(submitted=submitted, relayed=relayed)


def _answers(responses: list[Response], questions: list[Question], world: DemoWorld) -> None:
    rng = world.rng
    choices = {q.pk: [c for c in q.choices.all() if not c.for_marker] for q in questions}
    markers = {q.pk: [c for c in q.choices.all() if c.for_marker] for q in questions}
    # Uneven but fixed preferences per question, so that the charts have a shape.
    weights = {pk: [rng.uniform(0.2, 1) ** 2 for _ in listed] for pk, listed in choices.items()}
    answers: list[Answer] = []
    held: list[tuple[Answer, list]] = []  # (answer, its AnswerChoice or AnswerFeature rows)
    for response in responses:
        chosen: set[int] = set()
        draft = response.status == Response.Status.DRAFT
        for question in questions:
            if draft and question.page.position > 0:
                break  # a draft stopped on its first page
            condition = question.shown_if_question_id
            if condition and not chosen & {c.pk for c in question.shown_if_choices.all()}:
                continue
            if not question.required and rng.random() < SKIP_SHARE:
                continue
            answer = Answer(response=response, question=question)
            rows = _fill(
                answer,
                question,
                choices[question.pk],
                weights[question.pk],
                markers[question.pk],
                world,
            )
            chosen |= {row.choice_id for row in rows if isinstance(row, AnswerChoice)}
            answers.append(answer)
            held.append((answer, rows))
    Answer.objects.bulk_create(answers)
    for answer, rows in held:
        for row in rows:
            row.answer = answer
    AnswerChoice.objects.bulk_create(
        [row for _a, rows in held for row in rows if isinstance(row, AnswerChoice)]
    )
    AnswerFeature.objects.bulk_create(
        [row for _a, rows in held for row in rows if isinstance(row, AnswerFeature)]
    )


def _fill(answer, question, choices, weights, markers, world) -> list:
    """The answer's value, and its choice or feature rows (their answer set later)."""
    rng, kind = world.rng, question.kind
    if kind == Question.Kind.SINGLE:
        if question.with_other and rng.random() < 0.05:
            answer.text, answer.text_moderation = rng.choice(OTHER_TEXTS), _moderated(rng)
            return []
        return [AnswerChoice(choice=rng.choices(choices, weights)[0])]
    if kind == Question.Kind.MULTIPLE:
        count = rng.randint(1, question.max_count or len(choices))
        picked = {rng.choices(choices, weights)[0].pk: None for _ in range(count * 2)}
        return [AnswerChoice(choice_id=pk) for pk in list(picked)[:count]]
    if kind == Question.Kind.RANKING:
        ranked = sorted(choices, key=lambda c: -weights[choices.index(c)] * rng.random())
        return [AnswerChoice(choice=c, rank=rank) for rank, c in enumerate(ranked, start=1)]
    if kind == Question.Kind.SCALE:
        low, high = int(question.min_value), int(question.max_value)
        answer.number = min(high, max(low, round(rng.triangular(low, high, low + 1))))
        return []
    if kind in Question.TEXT_KINDS:
        texts = BRAKES if kind == Question.Kind.SHORT_TEXT else IDEAS
        answer.text, answer.text_moderation = rng.choice(texts), _moderated(rng)
        return []
    if kind == Question.Kind.ZONES:
        count = rng.randint(1, question.max_count or 1)
        return [
            AnswerFeature(position=n, zone_id=pk)
            for n, pk in enumerate(dict.fromkeys(rng.choices(world.zones, k=count)))
        ]
    return _drawn(question, markers, world)


def _drawn(question: Question, markers: list, world: DemoWorld) -> list[AnswerFeature]:
    rng = world.rng
    count = 1 if question.kind != Question.Kind.POINTS else rng.randint(1, question.max_count or 1)
    shape = {Question.Kind.POINTS: world.place, Question.Kind.LINE: world.line}
    features = []
    for n in range(count):
        feature = AnswerFeature(position=n, geom=shape.get(question.kind, world.area)())
        if markers:
            feature.marker_choice = rng.choice(markers)
        if question.marker_comment and rng.random() < 0.3:
            feature.comment, feature.comment_moderation = rng.choice(COMMENTS), _moderated(rng)
        features.append(feature)
    return features


def _moderated(rng: random.Random) -> str:
    """Most free texts read and published, some waiting, a few hidden."""
    return rng.choices(
        (TextModeration.PUBLISHED, TextModeration.PENDING, TextModeration.HIDDEN), (6, 3, 1)
    )[0]
