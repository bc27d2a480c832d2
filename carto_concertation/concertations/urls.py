# SPDX-License-Identifier: AGPL-3.0-or-later
"""The concertations' pages and API (the participatory space's): composed by urls.py from
the space's manifest. The planners' tools are the ideas module's (contributions/urls.py)."""

from django.urls import path

from . import views
from .api import ConcertationViewSet
from .embed import embed_page
from .figures_api import SpaceFiguresPerCommuneApi, SpaceFiguresPerZoneApi
from .search import SpaceSearchApi, search_page

api_routes = [("concertations", ConcertationViewSet, "concertation")]

SPACE = "concertations/<slug:concertation_slug>/"

api_patterns = [
    # Every module's figures per commune and zone (the registry's FigureDeclarations).
    path(
        SPACE + "figures/communes",
        SpaceFiguresPerCommuneApi.as_view(),
        name="space-figures-communes",
    ),
    path(SPACE + "figures/zones", SpaceFiguresPerZoneApi.as_view(), name="space-figures-zones"),
    # The map's search box: communes, zones, règlement pages and the modules' things.
    path(SPACE + "search", SpaceSearchApi.as_view(), name="space-search"),
]

page_patterns = [
    path("concertations/<slug:slug>/", views.concertation_page, name="concertation"),
    # The search box without JavaScript, and the light map page other sites embed.
    path("concertations/<slug:slug>/recherche/", search_page, name="concertation-search"),
    path("concertations/<slug:slug>/carte/", embed_page, name="concertation-embed"),
]
