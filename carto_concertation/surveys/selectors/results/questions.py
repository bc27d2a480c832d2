# SPDX-License-Identifier: AGPL-3.0-or-later
"""Each question's figures. Shares are over the respondents who answered the question:
with conditions, those who were asked it and answered (a skipped optional question or one
not shown counts in no share). Free texts are listed only once published by a moderator.

- single and multiple choice: the count and share of each choice and of "other";
- ranking: per choice how often it was ranked, its mean rank (1 is first) and its Borda
  points (ranked r-th among n choices: n − r + 1 points, unranked: none);
- scale and number: the distribution of the values (a number's binned when they are
  many), their mean and median;
- date: the answers per month;
- short and long text: how many answered;
- map questions: maps.py.
"""

from statistics import median

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from ...models import AnswerChoice, Question, Questionnaire, counted_response
from ...models.responses import TextModeration
from ..questionnaires import questionnaire_questions
from .common import share, submitted_answers
from .maps import map_result

Kind = Question.Kind
# A number question's distinct values past which its distribution is binned (a chart of a
# bar per distinct value would be unreadable).
NUMBER_BINS = 10


def questionnaire_results(questionnaire: Questionnaire) -> dict:
    """Every question's figures in the questionnaire's order, with the number of
    submitted responses and the collective answer."""
    return {
        "questionnaire": questionnaire.slug,
        "title": questionnaire.title,
        "results_published": questionnaire.results_published,
        "summary": questionnaire.results_summary,
        "responses": questionnaire.responses.counted().count(),
        "questions": [
            question_result(question) for question in questionnaire_questions(questionnaire)
        ],
    }


def question_result(question: Question) -> dict:
    """One question's figures (the keys its kind has; see the module's docstring)."""
    result = {
        "code": question.code,
        "kind": question.kind,
        "label": question.label,
        "conditional": question.shown_if_question_id is not None
        or question.page.shown_if_question_id is not None,
    }
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        result.update(_choices(question))
    elif question.kind == Kind.RANKING:
        result.update(_ranking(question))
    elif question.kind in (Kind.SCALE, Kind.NUMBER):
        result.update(_values(question))
    elif question.kind == Kind.DATE:
        result.update(_months(question))
    elif question.kind in Question.TEXT_KINDS:
        answers = submitted_answers(question).exclude(text="")
        result.update(answered=answers.count(), texts=_published_texts(answers))
    else:
        result.update(map_result(question))
    return result


def _published_texts(answers) -> list[str]:
    published = answers.filter(text_moderation=TextModeration.PUBLISHED).exclude(text="")
    return list(published.order_by("pk").values_list("text", flat=True))


def _answer_choices(question: Question):
    return _own_choices(question).annotate(
        count=Count(
            "answers",
            filter=counted_response("answers__answer__response__"),
        )
    )


def _own_choices(question: Question):
    """The question's answer choices (not its markers' follow-up choices), in order."""
    return question.choices.filter(for_marker=False).order_by("position")


def _choices(question: Question) -> dict:
    answers = submitted_answers(question)
    with_choice = Exists(AnswerChoice.objects.filter(answer=OuterRef("pk")))
    answered = answers.filter(with_choice | ~Q(text="")).count()
    other = answers.exclude(text="")
    other_count = other.count()
    return {
        "answered": answered,
        "choices": [
            {"id": c.pk, "label": c.label, "count": c.count, "share": share(c.count, answered)}
            for c in _answer_choices(question)
        ],
        "other": {"count": other_count, "share": share(other_count, answered)}
        if question.with_other or other_count
        else None,
        "texts": _published_texts(other),
    }


def _ranking(question: Question) -> dict:
    answers = submitted_answers(question)
    answered = answers.filter(Exists(AnswerChoice.objects.filter(answer=OuterRef("pk")))).count()
    choices = _own_choices(question)
    size = choices.count()
    ranked = counted_response("answers__answer__response__") & Q(answers__rank__isnull=False)
    rows = choices.annotate(
        count=Count("answers", filter=ranked),
        rank_sum=Sum("answers__rank", filter=ranked),
        mean=Avg("answers__rank", filter=ranked),
    )
    result = [
        {
            "id": c.pk,
            "label": c.label,
            "count": c.count,
            "share": share(c.count, answered),
            "mean_rank": round(float(c.mean), 2) if c.mean is not None else None,
            # Σ (n − r + 1) = count × (n + 1) − Σ r.
            "points": c.count * (size + 1) - (c.rank_sum or 0),
        }
        for c in rows
    ]
    return {"answered": answered, "choices": result}


def _number(value) -> float:
    return float(round(value, 2))


def _values(question: Question) -> dict:
    """The values' distribution, mean and median. A scale's rows are its steps (every one,
    even unchosen); a number's, its distinct values, or past ``NUMBER_BINS`` of them that
    many bins of equal width from the least to the greatest value (``upper``: a bin's
    end, the last one holding the greatest value)."""
    answers = submitted_answers(question).filter(number__isnull=False)
    values = sorted(answers.values_list("number", flat=True))
    counts = {
        row["number"]: row["count"] for row in answers.values("number").annotate(count=Count("pk"))
    }
    if (
        question.kind == Kind.SCALE
        and question.min_value is not None
        and question.max_value is not None
    ):
        for step in range(int(question.min_value), int(question.max_value) + 1):
            counts.setdefault(step, 0)
    total = len(values)
    if question.kind == Kind.NUMBER and len(counts) > NUMBER_BINS:
        distribution = _bins(values, total)
    else:
        distribution = [
            {"value": _number(value), "upper": None, "count": count, "share": share(count, total)}
            for value, count in sorted(counts.items())
        ]
    return {
        "answered": total,
        "distribution": distribution,
        "mean": _number(sum(values) / total) if total else None,
        "median": _number(median(values)) if total else None,
    }


def _bins(values: list, total: int) -> list[dict]:
    low, high = values[0], values[-1]
    width = (high - low) / NUMBER_BINS
    counts = [0] * NUMBER_BINS
    for value in values:
        counts[min(int((value - low) / width), NUMBER_BINS - 1)] += 1
    return [
        {
            "value": _number(low + index * width),
            "upper": _number(low + (index + 1) * width),
            "count": count,
            "share": share(count, total),
        }
        for index, count in enumerate(counts)
    ]


def _months(question: Question) -> dict:
    answers = submitted_answers(question).filter(date__isnull=False)
    rows = answers.annotate(month=TruncMonth("date")).values("month").annotate(count=Count("pk"))
    total = answers.count()
    return {
        "answered": total,
        "months": [
            {
                "month": row["month"].strftime("%Y-%m"),
                "count": row["count"],
                "share": share(row["count"], total),
            }
            for row in rows.order_by("month")
        ],
    }
