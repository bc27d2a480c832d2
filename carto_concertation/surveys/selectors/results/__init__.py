# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results of a questionnaire: per question, its figures (questions.py), for map
questions the counts per zone and per commune, the heat map and the markers (maps.py),
and the organisers' cross-tabulation of two choice questions (crosstab.py). Only
submitted responses count, drafts never."""

from .access import question_by_code, results_questionnaire, staff_questionnaire
from .crosstab import CROSSTAB_KINDS, crosstab
from .maps import heatmap, markers
from .questions import question_result, questionnaire_results
from .texts import texts_to_moderate

__all__ = [
    "CROSSTAB_KINDS",
    "crosstab",
    "heatmap",
    "markers",
    "question_by_code",
    "question_result",
    "questionnaire_results",
    "results_questionnaire",
    "staff_questionnaire",
    "texts_to_moderate",
]
