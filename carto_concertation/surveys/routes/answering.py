# SPDX-License-Identifier: AGPL-3.0-or-later
"""The answering part's paths: API under /api/v1/surveys/, pages under /consultations/."""

from django.urls import path

from ..api import answering as api
from ..views import answering as views

QUESTIONNAIRE = "surveys/questionnaires/<slug:slug>/"

api_patterns: list = [
    path(QUESTIONNAIRE[:-1], api.QuestionnaireApi.as_view(), name="surveys-questionnaire"),
    path(QUESTIONNAIRE + "draft", api.DraftApi.as_view(), name="surveys-draft"),
    path(QUESTIONNAIRE + "submit", api.SubmitApi.as_view(), name="surveys-submit"),
    path(QUESTIONNAIRE + "link", api.LinkApi.as_view(), name="surveys-link"),
    # What the map widget draws on: the perimeter, the PLU/PLUi zones, the communes.
    path(
        QUESTIONNAIRE + "perimeter.geojson",
        api.PerimeterApi.as_view(),
        name="surveys-perimeter",
    ),
    path(QUESTIONNAIRE + "zones.geojson", api.ZonesApi.as_view(), name="surveys-zones"),
    path(QUESTIONNAIRE + "communes.geojson", api.CommunesApi.as_view(), name="surveys-communes"),
]

page_patterns: list = [
    path("<slug:slug>/", views.questionnaire_page, name="questionnaire"),
    path("<slug:slug>/repondre/", views.answer_page, name="answer"),
    path("<slug:slug>/repondre/merci/", views.answered_page, name="answered"),
]
