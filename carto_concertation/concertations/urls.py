# SPDX-License-Identifier: AGPL-3.0-or-later
"""The concertations' pages and API (the participatory space's): composed by urls.py from
the space's manifest. The planners' tools are the ideas module's (contributions/urls.py)."""

from django.urls import path

from . import views
from .api import ConcertationViewSet

api_routes = [("concertations", ConcertationViewSet, "concertation")]

page_patterns = [
    path("concertations/<slug:slug>/", views.concertation_page, name="concertation"),
]
