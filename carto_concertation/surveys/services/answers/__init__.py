# SPDX-License-Identifier: AGPL-3.0-or-later
"""Answering a questionnaire online: the check of a response (validation.py, map answers
in geometry.py), who answers (respondents.py) and the writes (writes.py)."""

from .respondents import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_AGE,
    Respondent,
    device_token_new,
    link_token,
    respondent_account,
    respondent_device,
    respondent_link,
)
from .validation import CleanAnswer, Shape, answers_check, visible_pages
from .writes import (
    AlreadyAnswered,
    NotOpen,
    link_request,
    response_draft_save,
    response_submit,
)

__all__ = [
    "DEVICE_COOKIE",
    "DEVICE_COOKIE_AGE",
    "AlreadyAnswered",
    "CleanAnswer",
    "NotOpen",
    "Respondent",
    "Shape",
    "answers_check",
    "device_token_new",
    "link_request",
    "link_token",
    "respondent_account",
    "respondent_device",
    "respondent_link",
    "response_draft_save",
    "response_submit",
    "visible_pages",
]
