# SPDX-License-Identifier: AGPL-3.0-or-later
"""What every results read stands on: the submitted answers of a question, and shares."""

from django.db.models import QuerySet

from ...models import Answer, AnswerFeature, Question, counted_response


def submitted_answers(question: Question) -> QuerySet[Answer]:
    """The answers to ``question`` of the counted responses (drafts never count, nor a
    banned account's response)."""
    return Answer.objects.filter(counted_response("response__"), question=question)


def submitted_features(question: Question) -> QuerySet[AnswerFeature]:
    return AnswerFeature.objects.filter(
        counted_response("answer__response__"), answer__question=question
    )


def share(count: int, total: int) -> float:
    """``count`` over ``total`` (0 when nobody answered), four decimals."""
    return round(count / total, 4) if total else 0.0
