# SPDX-License-Identifier: AGPL-3.0-or-later
"""The concertations' pages and API (the space's, and the planners' tools that live here
until they join the ideas module): composed by urls.py from the space's manifest."""

from django.urls import path

from carto_concertation.core.csp import self_contained_report

from . import dashboard, dashboard_api, views
from .api import ConcertationViewSet
from .figures_api import SpaceFiguresPerCommuneApi, SpaceFiguresPerZoneApi

PLANNING = "concertations/<slug:concertation_slug>/"

api_routes = [("concertations", ConcertationViewSet, "concertation")]

api_patterns = [
    # Every module's figures per commune and zone (the registry's FigureDeclarations).
    path(
        PLANNING + "figures/communes",
        SpaceFiguresPerCommuneApi.as_view(),
        name="space-figures-communes",
    ),
    path(PLANNING + "figures/zones", SpaceFiguresPerZoneApi.as_view(), name="space-figures-zones"),
    # Planners' dashboard and bilan (issue 7).
    path(PLANNING + "stats", dashboard_api.StatsApi.as_view(), name="concertation-stats"),
    path(PLANNING + "stats/zones", dashboard_api.StatsZonesApi.as_view(), name="stats-zones"),
    path(
        PLANNING + "stats/communes",
        dashboard_api.StatsCommunesApi.as_view(),
        name="stats-communes",
    ),
    path(PLANNING + "heatmap", dashboard_api.HeatmapApi.as_view(), name="concertation-heatmap"),
    path(
        PLANNING + "answer-templates/",
        dashboard_api.AnswerTemplateListApi.as_view(),
        name="answer-template-list",
    ),
    path(
        PLANNING + "answer-templates/<int:pk>/",
        dashboard_api.AnswerTemplateDetailApi.as_view(),
        name="answer-template-detail",
    ),
    path(PLANNING + "answers/bulk", dashboard_api.BulkAnswerApi.as_view(), name="answer-bulk"),
    path(PLANNING + "bilans/", dashboard_api.BilanListApi.as_view(), name="bilan-list"),
    path(
        PLANNING + "bilans/<uuid:pk>/<str:fmt>",
        self_contained_report(dashboard_api.BilanDownloadApi.as_view()),
        name="bilan-download",
    ),
]

page_patterns = [
    path("concertations/<slug:slug>/", views.concertation_page, name="concertation"),
    path(
        "concertations/<slug:slug>/tableau-de-bord/",
        dashboard.dashboard_page,
        name="concertation-dashboard",
    ),
]
