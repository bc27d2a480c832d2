# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's API paths (under /api/v1/budgets/) and pages (under
/budgets/, namespace "budgets"): composed by urls.py from the manifest."""

from django.urls import include, path

from .api import ballots as ballot_api
from .views import ballots as ballot_views

API = "budgets/"
EDITION = API + "editions/<slug:slug>/"

api_patterns: list = [
    path(EDITION + "ballot", ballot_api.BallotApi.as_view(), name="budgets-ballot"),
    path(EDITION + "paper", ballot_api.PaperApi.as_view(), name="budgets-paper"),
    path(
        EDITION + "paper/<int:pk>/resolve",
        ballot_api.PaperResolveApi.as_view(),
        name="budgets-paper-resolve",
    ),
]

_pages: list = [
    path("gestion/<slug:slug>/papier/", ballot_views.paper_page, name="paper"),
    path(
        "gestion/<slug:slug>/papier/<int:pk>/",
        ballot_views.paper_resolve_page,
        name="paper-resolve",
    ),
    path("<slug:slug>/vote/", ballot_views.vote_page, name="vote"),
    path("<slug:slug>/vote/merci/", ballot_views.vote_done, name="vote-done"),
]

page_patterns = [
    path("budgets/", include((_pages, "budgets"))),
]
