# SPDX-License-Identifier: AGPL-3.0-or-later
"""The review part's API paths and pages (composed by crowdfunding/urls.py)."""

from django.urls import path

from ..api import projects as projects_api
from ..views import review as review_views

PROJECT = "crowdfunding/projects/<slug:slug>/"

api_patterns: list = [
    path(PROJECT + "accept", projects_api.ProjectAcceptApi.as_view(), name="crowdfunding-accept"),
    path(PROJECT + "refuse", projects_api.ProjectRefuseApi.as_view(), name="crowdfunding-refuse"),
]
page_patterns: list = [
    path("gestion/", review_views.manage_home, name="manage"),
    path("gestion/<slug:slug>/", review_views.review_page, name="review"),
]
