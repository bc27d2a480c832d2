# SPDX-License-Identifier: AGPL-3.0-or-later
"""The campaign part's API paths and pages (composed by crowdfunding/urls.py)."""

from django.urls import path

from ..api import campaign as campaign_api
from ..views import campaign as campaign_views

PROJECT = "crowdfunding/projects/<slug:slug>/"

api_patterns: list = [
    path(
        PROJECT + "figures", campaign_api.ProjectFiguresApi.as_view(), name="crowdfunding-figures"
    ),
    path(
        PROJECT + "funding-import",
        campaign_api.FundingImportApi.as_view(),
        name="crowdfunding-funding-import",
    ),
]
page_patterns: list = [
    path("gestion/<slug:slug>/campagne/", campaign_views.campaign_page, name="campaign"),
]
