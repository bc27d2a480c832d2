# SPDX-License-Identifier: AGPL-3.0-or-later
"""The portal part's API paths and pages (composed by crowdfunding/urls.py): the map of
the projects and its list, the figures, and a project's page (``<slug>/``, last of all)."""

from django.urls import path

from ..api import portal as api
from ..views import portal as views

API = "crowdfunding/"

api_patterns: list = [
    path(API + "projects.geojson", api.ProjectsGeoJsonApi.as_view(), name="crowdfunding-geojson"),
    path(API + "figures", api.FiguresApi.as_view(), name="crowdfunding-figures"),
]
page_patterns: list = [
    path("", views.portal_page, name="portal"),
    path("chiffres/", views.figures_page, name="figures"),
    path("<slug:slug>/", views.project_page, name="project"),
]
