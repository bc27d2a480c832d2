# SPDX-License-Identifier: AGPL-3.0-or-later
"""The listing part's paths: the public list of questionnaires (/consultations/) and its
API twin (/api/v1/surveys/open)."""

from django.urls import path

from ..api import listing as listing_api
from ..views import listing as listing_views

api_patterns: list = [
    path("surveys/open", listing_api.OpenQuestionnairesApi.as_view(), name="surveys-open"),
]
page_patterns: list = [
    path("", listing_views.questionnaire_list, name="list"),
]
