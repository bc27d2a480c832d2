# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's API paths (under /api/v1/budgets/) and pages (under
/budgets/, namespace "budgets"): composed by urls.py from the manifest."""

from django.urls import include, path

from .api import results as results_api
from .views import results as results_views

API = "budgets/"
EDITION = API + "editions/<slug:slug>/"

api_patterns: list = [
    path(EDITION + "results", results_api.EditionResultsApi.as_view(), name="budget-results"),
    path(EDITION + "results/runs", results_api.ResultRunsApi.as_view(), name="budget-result-runs"),
    path(
        EDITION + "results/publish",
        results_api.ResultPublishApi.as_view(),
        name="budget-results-publish",
    ),
]

_pages: list = [
    path(
        "gestion/<slug:slug>/resultats/",
        results_views.results_manage_page,
        name="results-manage",
    ),
    path(
        "gestion/<slug:slug>/resultats/calculer/",
        results_views.results_compute_page,
        name="results-compute",
    ),
    path(
        "gestion/<slug:slug>/resultats/publier/",
        results_views.results_publish_page,
        name="results-publish",
    ),
    path("<slug:slug>/resultats/", results_views.results_public_page, name="results"),
]

page_patterns = [
    path("budgets/", include((_pages, "budgets"))),
]
