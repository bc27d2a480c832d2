# SPDX-License-Identifier: AGPL-3.0-or-later
"""The organisers' writes that build a questionnaire (its settings, pages, questions,
choices and conditions). Each is one transaction; bad input raises a ValidationError
naming the field and writes nothing; a person without ``surveys.organise`` on the
questionnaire's territory gets a PermissionDenied. From the first response on, an edit
that would break earlier answers is refused with the reason."""

from .common import locked, require_organise
from .pages import (
    choice_create,
    choice_delete,
    choice_move,
    choice_update,
    condition_set,
    page_create,
    page_delete,
    page_move,
    page_update,
)
from .questions import (
    KINDS_OF_SETTING,
    QUESTION_FIELDS,
    question_create,
    question_delete,
    question_move,
    question_update,
    settings_of,
)
from .settings import (
    RESERVED_SLUGS,
    SETTINGS_FIELDS,
    questionnaire_create,
    questionnaire_publish,
    questionnaire_unpublish,
    questionnaire_update,
    slug_free,
)

__all__ = [
    "KINDS_OF_SETTING",
    "QUESTION_FIELDS",
    "RESERVED_SLUGS",
    "SETTINGS_FIELDS",
    "choice_create",
    "choice_delete",
    "choice_move",
    "choice_update",
    "condition_set",
    "locked",
    "page_create",
    "page_delete",
    "page_move",
    "page_update",
    "question_create",
    "question_delete",
    "question_move",
    "question_update",
    "questionnaire_create",
    "questionnaire_publish",
    "questionnaire_unpublish",
    "questionnaire_update",
    "require_organise",
    "settings_of",
    "slug_free",
]
