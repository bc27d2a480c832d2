# SPDX-License-Identifier: AGPL-3.0-or-later
"""The check of a whole response payload against its questionnaire, writing nothing.

A payload is ``{code: value}`` (docs/surveys.md, "Answering"). Pages and questions are
walked in order and their conditions read on the answers checked so far: what a hidden
page or question holds is dropped, and it is never required. Every refusal is collected
into one ``ValidationError`` keyed by the question's code (``"q3"``) or by a part of its
answer (``"q3.2.comment"``: the comment of its third marker), with the reason."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carto_concertation.territories.models import Commune
from plui_documents.models import Zone

from ...models import Choice, Question, Questionnaire, SurveyPage
from ...selectors.questionnaires import (
    questionnaire_communes,
    questionnaire_pages,
    questionnaire_perimeter,
    questionnaire_zones,
)
from .geometry import RawFeature, geometry_features, pick_features

Kind = Question.Kind
TEXT_MAX = {Kind.SHORT_TEXT: 300, Kind.LONG_TEXT: 5000}
OTHER_MAX = 300
COMMENT_MAX = 2000
# The largest number a DecimalField(14, 4) holds.
NUMBER_MAX = Decimal("9999999999.9999")


@dataclass
class CleanFeature:
    geom: GEOSGeometry | None = None
    zone: Zone | None = None
    commune: Commune | None = None
    choice: Choice | None = None
    comment: str = ""


@dataclass
class CleanAnswer:
    question: Question
    text: str = ""
    number: Decimal | None = None
    date: datetime.date | None = None
    # (choice, rank): the rank for rankings only.
    choices: list[tuple[Choice, int | None]] = field(default_factory=list)
    features: list[CleanFeature] = field(default_factory=list)

    def holds(self, choices: Collection[int]) -> bool:
        return any(choice.pk in choices for choice, _rank in self.choices)


class Shape:
    """A questionnaire's pages, questions and choices read once, for one check (or the
    rendering of a page); the perimeter only when a map answer needs it."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self.pages: list[SurveyPage] = questionnaire_pages(questionnaire)
        self.questions: dict[str, Question] = {
            q.code: q for page in self.pages for q in page.questions.all()
        }

    def page_of(self, question: Question) -> SurveyPage:
        return next(page for page in self.pages if page.pk == question.page_id)

    @cached_property
    def perimeter(self) -> GEOSGeometry:
        # A metre of tolerance: a place on the boundary (a commune picked from the list)
        # comes back from WGS84 a fraction of a millimetre off.
        return questionnaire_perimeter(self.questionnaire).buffer(1)

    def page_visible(self, page: SurveyPage, clean: dict[str, "CleanAnswer"]) -> bool:
        return _shown(page.shown_if_question_id, page.shown_if_choices.all(), clean, self)

    def question_visible(self, question: Question, clean: dict[str, "CleanAnswer"]) -> bool:
        return _shown(question.shown_if_question_id, question.shown_if_choices.all(), clean, self)


def _shown(question_id: int | None, choices, clean: dict[str, CleanAnswer], shape: Shape) -> bool:
    """No condition, or the answer to the condition's question holds one of its choices
    (an unanswered or hidden question holds none)."""
    if question_id is None:
        return True
    wanted = {choice.pk for choice in choices}
    return any(a.question.pk == question_id and a.holds(wanted) for a in clean.values())


def _empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _integer(value: object) -> int | None:
    """An integer given as a number or as its digits (forms post strings)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _text(value: object, limit: int, key: str, errors: dict) -> str | None:
    if not isinstance(value, str):
        errors[key] = _("Give a text.")
        return None
    if len(value) > limit:
        errors[key] = _("At most %(n)s characters.") % {"n": limit}
        return None
    return value


class _Checker:
    """The checks of one payload; each method adds its refusals to ``errors``."""

    def __init__(self, shape: Shape, errors: dict) -> None:
        self.shape = shape
        self.errors = errors

    def choices_of(self, question: Question, *, for_marker: bool = False) -> dict[int, Choice]:
        return {c.pk: c for c in question.choices.all() if c.for_marker == for_marker}

    def one_choice(self, question: Question, value: object, key: str) -> Choice | None:
        choice = self.choices_of(question).get(_integer(value))
        if choice is None:
            self.errors[key] = _("This choice does not exist.")
        return choice

    def other(self, question: Question, value: object, answer: CleanAnswer) -> bool:
        """An ``{"other": text}`` item: the "other" text, when the question has one."""
        if not (isinstance(value, dict) and set(value) == {"other"}):
            return False
        if not question.with_other:
            self.errors[question.code] = _("This question has no “other” answer.")
        elif (text := _text(value["other"], OTHER_MAX, question.code, self.errors)) is not None:
            if not text.strip():
                self.errors[question.code] = _("Say what the “other” answer is.")
            answer.text = text
        return True

    def counted(self, question: Question, n: int, key: str) -> None:
        if question.min_count and n < question.min_count:
            self.errors[key] = _("Give at least %(n)s.") % {"n": question.min_count}
        elif question.max_count and n > question.max_count:
            self.errors[key] = _("Give at most %(n)s.") % {"n": question.max_count}

    def check(self, question: Question, value: object) -> CleanAnswer:
        answer = CleanAnswer(question)
        code = question.code
        kind = question.kind
        if kind == Kind.SINGLE:
            if not self.other(question, value, answer) and (
                choice := self.one_choice(question, value, code)
            ):
                answer.choices.append((choice, None))
        elif kind in (Kind.MULTIPLE, Kind.RANKING):
            self.many(question, value, answer)
        elif kind in TEXT_KINDS_MAX:
            if (text := _text(value, TEXT_MAX[kind], code, self.errors)) is not None:
                answer.text = text
        elif kind in (Kind.SCALE, Kind.NUMBER):
            self.number(question, value, answer)
        elif kind == Kind.DATE:
            try:
                answer.date = datetime.date.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                answer.date = None
            if answer.date is None:
                self.errors[code] = _("Give a date as YYYY-MM-DD.")
        else:
            self.map(question, value, answer)
        return answer

    def many(self, question: Question, value: object, answer: CleanAnswer) -> None:
        code = question.code
        if not isinstance(value, list):
            self.errors[code] = _("Give a list of choices.")
            return
        ids = []
        for item in value:
            if self.other(question, item, answer):
                continue
            if (choice := self.one_choice(question, item, code)) is None:
                return
            ids.append(choice)
        if len(set(ids)) != len(ids):
            self.errors[code] = _("A choice is given twice.")
            return
        ranked = question.kind == Kind.RANKING
        answer.choices = [(c, i + 1 if ranked else None) for i, c in enumerate(ids)]
        n = len(ids) + (1 if answer.text else 0)
        if ranked and not question.min_count and len(ids) != len(self.choices_of(question)):
            self.errors[code] = _("Rank every choice.")
        else:
            self.counted(question, n, code)

    def number(self, question: Question, value: object, answer: CleanAnswer) -> None:
        code = question.code
        if question.kind == Kind.SCALE:
            number = _integer(value)
            low, high = question.min_value, question.max_value
            if number is None:
                self.errors[code] = _("Give a whole number.")
                return
            number = Decimal(number)
            low = Decimal(1) if low is None else low
            high = Decimal(5) if high is None else high
        else:
            number = _decimal(value)
            low, high = question.min_value, question.max_value
            if number is None or abs(number) > NUMBER_MAX:
                self.errors[code] = _("Give a number.")
                return
            number = number.quantize(Decimal("0.0001"))
        if (low is not None and number < low) or (high is not None and number > high):
            self.errors[code] = _("Give a number from %(low)s to %(high)s.") % {
                "low": _plain(low),
                "high": _plain(high),
            }
            return
        answer.number = number

    def map(self, question: Question, value: object, answer: CleanAnswer) -> None:
        code = question.code
        try:
            if question.kind in Question.GEOMETRY_KINDS:
                raw = geometry_features(question, value, self.shape.perimeter)
            else:
                raw = pick_features(question, value)
        except ValidationError as error:
            self.errors.update({k: v[0] for k, v in error.message_dict.items()})
            return
        self.counted(question, len(raw), code)
        places = self.places(question, raw)
        if places is None:
            return
        for index, (feature, place) in enumerate(zip(raw, places, strict=True)):
            clean = self.follow_up(question, feature, f"{code}.{index}")
            if question.kind == Kind.ZONES:
                clean.zone = place
            elif question.kind == Kind.COMMUNES:
                clean.commune = place
            else:
                clean.geom = feature.geom
            answer.features.append(clean)

    def places(self, question: Question, raw: list[RawFeature]) -> list | None:
        """The zones or communes picked (the drawn features: ``None`` each)."""
        if question.kind in Question.GEOMETRY_KINDS:
            return [None] * len(raw)
        ids = [_integer(feature.pick) for feature in raw]
        if len(set(ids)) != len(ids):
            self.errors[question.code] = _("A place is picked twice.")
            return None
        available = (
            questionnaire_zones(self.shape.questionnaire)
            if question.kind == Kind.ZONES
            else questionnaire_communes(self.shape.questionnaire)
        )
        found = {place.pk: place for place in available.filter(pk__in=[i for i in ids if i])}
        for index, pk in enumerate(ids):
            if pk not in found:
                self.errors[f"{question.code}.{index}"] = (
                    _("This zone is not one of the questionnaire's.")
                    if question.kind == Kind.ZONES
                    else _("This commune is not one of the questionnaire's.")
                )
                return None
        return [found[pk] for pk in ids]

    def follow_up(self, question: Question, feature: RawFeature, key: str) -> CleanFeature:
        clean = CleanFeature()
        if not _empty(feature.choice):
            choice = self.choices_of(question, for_marker=True).get(_integer(feature.choice))
            if choice is None:
                self.errors[f"{key}.choice"] = _("This choice does not exist.")
            clean.choice = choice
        if not _empty(feature.comment):
            if not question.marker_comment:
                self.errors[f"{key}.comment"] = _("This question takes no comment.")
            else:
                text = _text(feature.comment, COMMENT_MAX, f"{key}.comment", self.errors)
                clean.comment = text or ""
        return clean


TEXT_KINDS_MAX = frozenset(TEXT_MAX)


def _plain(number: Decimal | None) -> str:
    """A bound as people write it: 5, not 5.0000."""
    if number is None:
        return "…"
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def answers_check(
    questionnaire: Questionnaire,
    payload: dict,
    *,
    required_pages: Collection[int] | None = None,
    shape: Shape | None = None,
) -> dict[str, CleanAnswer]:
    """The payload's answers checked, by code, those of hidden pages and questions
    dropped; required answers are required on the pages at ``required_pages`` (positions;
    ``None``: every page, as a submission asks). Raises one ``ValidationError`` holding
    every refusal."""
    shape = shape or Shape(questionnaire)
    errors: dict[str, str] = {}
    if not isinstance(payload, dict):
        raise ValidationError({"answers": _("Answers are an object keyed by question code.")})
    for code in payload:
        if code not in shape.questions:
            errors[str(code)] = _("This questionnaire has no such question.")
    checker = _Checker(shape, errors)
    clean: dict[str, CleanAnswer] = {}
    for page in shape.pages:
        page_shown = shape.page_visible(page, clean)
        for question in page.questions.all():
            if not (page_shown and shape.question_visible(question, clean)):
                continue
            value = payload.get(question.code)
            if _empty(value):
                if question.required and (
                    required_pages is None or page.position in required_pages
                ):
                    errors[question.code] = _("This question needs an answer.")
                continue
            answer = checker.check(question, value)
            if not any(k == question.code or k.startswith(question.code + ".") for k in errors):
                clean[question.code] = answer
    if errors:
        raise ValidationError(errors)
    return clean


def visible_pages(shape: Shape, clean: dict[str, CleanAnswer]) -> list[SurveyPage]:
    """The pages shown for these answers, in order (a page's condition reads the answers
    of the pages before it)."""
    return [page for page in shape.pages if shape.page_visible(page, clean)]


__all__ = ["CleanAnswer", "CleanFeature", "Shape", "answers_check", "visible_pages"]
