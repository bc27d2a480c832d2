# SPDX-License-Identifier: AGPL-3.0-or-later
"""The builder part's paths: the organisers' API under /api/v1/surveys/ (api/builder/)
and their pages under /consultations/gestion/ (views/builder/). Fixed prefixes first."""

from django.urls import path

from ..api.builder import items, questionnaires
from ..views.builder import pages as page_views
from ..views.builder import questionnaire as questionnaire_views

API = "surveys/questionnaires"
# Under a questionnaire's public path (the answering part's), the builder's own words.
BUILD = API + "/<slug:slug>/build"

api_patterns: list = [
    path(API, questionnaires.BuildListApi.as_view(), name="surveys-build-list"),
    path(
        "surveys/questionnaire-import",
        questionnaires.ImportJsonApi.as_view(),
        name="surveys-build-import",
    ),
    path(BUILD, questionnaires.BuildApi.as_view(), name="surveys-build"),
    path(
        BUILD + "/publication",
        questionnaires.PublicationApi.as_view(),
        name="surveys-build-publication",
    ),
    path(
        API + "/<slug:slug>/questionnaire.json",
        questionnaires.ExportJsonApi.as_view(),
        name="surveys-build-export",
    ),
    path(BUILD + "/pages", items.PagesApi.as_view(), name="surveys-build-pages"),
    path(BUILD + "/pages/<int:pk>", items.PageApi.as_view(), name="surveys-build-page"),
    path(BUILD + "/questions", items.QuestionsApi.as_view(), name="surveys-build-questions"),
    path(
        BUILD + "/questions/<slug:code>",
        items.QuestionApi.as_view(),
        name="surveys-build-question",
    ),
    path(
        BUILD + "/questions/<slug:code>/choices",
        items.ChoicesApi.as_view(),
        name="surveys-build-choices",
    ),
    path(
        BUILD + "/questions/<slug:code>/choices/<int:pk>",
        items.ChoiceApi.as_view(),
        name="surveys-build-choice",
    ),
]
page_patterns: list = [
    path("gestion/", page_views.manage_home, name="manage"),
    path("gestion/importer/", page_views.manage_import, name="manage-import"),
    path(
        "gestion/<slug:slug>/",
        questionnaire_views.manage_questionnaire,
        name="manage-questionnaire",
    ),
    path(
        "gestion/<slug:slug>/questionnaire.json",
        page_views.manage_export,
        name="manage-export",
    ),
    path(
        "gestion/<slug:slug>/questions/<slug:code>/",
        questionnaire_views.manage_question,
        name="manage-question",
    ),
]
