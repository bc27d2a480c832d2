# SPDX-License-Identifier: AGPL-3.0-or-later
"""A questionnaire (its pages, questions and choices) and the responses to it."""

from .questionnaires import Choice, Question, Questionnaire, SurveyPage
from .responses import (
    Answer,
    AnswerChoice,
    AnswerFeature,
    Response,
    ResponseLink,
    counted_response,
)
from .zone_results import ZoneResult

__all__ = [
    "Answer",
    "AnswerChoice",
    "AnswerFeature",
    "Choice",
    "Question",
    "Questionnaire",
    "Response",
    "ResponseLink",
    "SurveyPage",
    "ZoneResult",
    "counted_response",
]
