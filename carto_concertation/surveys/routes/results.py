# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results part's paths: API under /api/v1/surveys/questionnaires/<slug>/, pages under /consultations/
(the fixed prefix "gestion/" first)."""

from django.urls import path

from ..api import results as api
from ..views.results import manage, public, texts

API = "surveys/questionnaires/<slug:slug>/"

api_patterns: list = [
    path(API + "results", api.ResultsApi.as_view(), name="surveys-results"),
    path(API + "results-publication", api.PublishApi.as_view(), name="surveys-results-publish"),
    path(
        API + "results/<slug:code>",
        api.QuestionResultsApi.as_view(),
        name="surveys-results-question",
    ),
    path(
        API + "results/<slug:code>/heatmap",
        api.HeatmapApi.as_view(),
        name="surveys-results-heatmap",
    ),
    path(
        API + "results/<slug:code>/markers",
        api.MarkersApi.as_view(),
        name="surveys-results-markers",
    ),
    path(API + "crosstab", api.CrosstabApi.as_view(), name="surveys-crosstab"),
    path(API + "texts", api.TextsApi.as_view(), name="surveys-texts"),
    path(API + "texts/<slug:code>", api.QuestionTextsApi.as_view(), name="surveys-texts-question"),
]

page_patterns: list = [
    path("gestion/<slug:slug>/resultats/", manage.results_manage_page, name="results-manage"),
    path(
        "gestion/<slug:slug>/resultats/publier/",
        manage.results_publish_page,
        name="results-publish",
    ),
    path("gestion/<slug:slug>/textes/", texts.texts_page, name="results-texts"),
    path(
        "gestion/<slug:slug>/textes/moderer/",
        texts.texts_moderate_page,
        name="results-texts-moderate",
    ),
    path("<slug:slug>/resultats/", public.results_page, name="results"),
    path("<slug:slug>/resultats/<slug:code>.svg", public.results_chart, name="results-chart"),
]
