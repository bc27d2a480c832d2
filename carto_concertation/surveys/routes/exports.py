# SPDX-License-Identifier: AGPL-3.0-or-later
"""The exports part's paths: API under /api/v1/surveys/, pages under /consultations/."""

from django.urls import path

from ..api import exports as api
from ..views import exports as views

QUESTIONNAIRE = "surveys/questionnaires/<slug:slug>/"

api_patterns: list = [
    path(QUESTIONNAIRE + "export.csv", api.ExportCsvApi.as_view(), name="surveys-export-csv"),
    path(
        QUESTIONNAIRE + "export.gpkg",
        api.ExportGeoPackageApi.as_view(),
        name="surveys-export-gpkg",
    ),
]
page_patterns: list = [
    path("gestion/<slug:slug>/exports/", views.exports_page, name="exports"),
]
