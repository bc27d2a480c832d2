# SPDX-License-Identifier: AGPL-3.0-or-later
"""The relay part's paths: the entries' sync API under /api/v1/surveys/, and the pages
where a relay types in paper and workshop answers (/consultations/saisie/)."""

from django.urls import path

from ..api import relay as api
from ..views import relay as views

QUESTIONNAIRE = "surveys/questionnaires/<slug:slug>/"

api_patterns: list = [
    path(QUESTIONNAIRE + "entries", api.EntryApi.as_view(), name="surveys-entries"),
    path(QUESTIONNAIRE + "entries/sync", api.EntrySyncApi.as_view(), name="surveys-entries-sync"),
]

page_patterns: list = [
    path("saisie/", views.relay_list_page, name="relay"),
    path("saisie/relay-sw.js", views.relay_service_worker, name="relay-service-worker"),
    path("saisie/<slug:slug>/", views.relay_entry_page, name="relay-entry"),
]
