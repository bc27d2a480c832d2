# SPDX-License-Identifier: AGPL-3.0-or-later
"""What every results read stands on: the submitted answers of a question, and shares."""

from django.db.models import QuerySet

from ...models import Answer, AnswerFeature, Question, Response


def submitted_answers(question: Question) -> QuerySet[Answer]:
    """The answers to ``question`` of submitted responses (drafts never count)."""
    return Answer.objects.filter(question=question, response__status=Response.Status.SUBMITTED)


def submitted_features(question: Question) -> QuerySet[AnswerFeature]:
    return AnswerFeature.objects.filter(
        answer__question=question, answer__response__status=Response.Status.SUBMITTED
    )


def share(count: int, total: int) -> float:
    """``count`` over ``total`` (0 when nobody answered), four decimals."""
    return round(count / total, 4) if total else 0.0
