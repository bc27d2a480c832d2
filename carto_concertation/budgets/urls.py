# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's API paths (under /api/v1/budgets/) and pages (under
/budgets/, namespace "budgets"): composed by urls.py from the manifest."""

from django.urls import include, path

from .api import projects as projects_api
from .views import projects as projects_views

API = "budgets/"
EDITION = API + "editions/<slug:slug>"

api_patterns: list = [
    # Projects part (api/projects.py).
    path(API + "editions", projects_api.EditionListApi.as_view(), name="budgets-editions"),
    path(EDITION, projects_api.EditionDetailApi.as_view(), name="budgets-edition"),
    path(EDITION + "/projects", projects_api.ProjectListApi.as_view(), name="budgets-projects"),
    path(
        EDITION + "/projects/<int:number>",
        projects_api.ProjectDetailApi.as_view(),
        name="budgets-project",
    ),
    path(
        EDITION + "/projects/<int:number>/support",
        projects_api.ProjectSupportApi.as_view(),
        name="budgets-project-support",
    ),
]

_pages: list = [
    # Projects part (views/projects.py): fixed prefixes of the other parts come before.
    path("", projects_views.editions_page, name="editions"),
    path("<slug:slug>/", projects_views.edition_page, name="edition"),
    path("<slug:slug>/projets/<int:number>/", projects_views.project_page, name="project"),
    path("<slug:slug>/proposer/", projects_views.project_propose, name="propose"),
    path(
        "<slug:slug>/proposer/merci/<int:number>/",
        projects_views.project_proposed,
        name="proposed",
    ),
]

page_patterns = [
    path("budgets/", include((_pages, "budgets"))),
]
