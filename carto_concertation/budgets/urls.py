# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's API paths (under /api/v1/budgets/) and pages (under
/budgets/, namespace "budgets"): composed by urls.py from the manifest."""

from django.urls import include, path

from .api import followup as followup_api
from .views import followup as followup_views

API = "budgets/"
# A project of an edition, by its number.
PROJECT = API + "editions/<slug:slug>/projects/<int:number>/"

api_patterns: list = [
    # Follow-up of the winners (api/followup.py).
    path(API + "achievements", followup_api.AchievementsApi.as_view(), name="budgets-achievements"),
    path(PROJECT + "updates", followup_api.ProjectNewsApi.as_view(), name="budgets-project-news"),
    path(
        PROJECT + "follow", followup_api.ProjectFollowApi.as_view(), name="budgets-project-follow"
    ),
]

_pages: list = [
    # Follow-up of the winners (views/followup.py); fixed prefixes before "<slug>/".
    path("realisations/", followup_views.achievements_page, name="achievements"),
    path("gestion/<slug:slug>/suivi/", followup_views.agent_followup, name="agent-followup"),
    path(
        "<slug:slug>/projets/<int:number>/suivi/",
        followup_views.project_followup,
        name="project-followup",
    ),
    path(
        "<slug:slug>/projets/<int:number>/suivi/photos/<int:pk>",
        followup_views.news_photo,
        name="news-photo",
    ),
]

page_patterns = [
    path("budgets/", include((_pages, "budgets"))),
]
