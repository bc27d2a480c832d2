# SPDX-License-Identifier: AGPL-3.0-or-later
"""The submission part's API paths and pages (composed by crowdfunding/urls.py)."""

from django.urls import path

from ..api import projects as projects_api
from ..views import submission as submission_views

API = "crowdfunding/projects/"

api_patterns: list = [
    path(API, projects_api.ProjectSubmitApi.as_view(), name="crowdfunding-project-submit"),
    path(API + "mine", projects_api.ProjectsMineApi.as_view(), name="crowdfunding-projects-mine"),
    path(
        API + "<slug:slug>/",
        projects_api.ProjectManageApi.as_view(),
        name="crowdfunding-project-manage",
    ),
]
page_patterns: list = [
    path("proposer/", submission_views.project_propose, name="propose"),
    path("mes-projets/", submission_views.projects_mine, name="mine"),
]
