# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' API paths (under /api/v1/signalements/), pages (under /signalements/,
namespace "signalements") and the Open311 GeoReport v2 API (/open311/v2/): composed by
urls.py from the manifest."""

from django.urls import include, path

api_patterns: list = []

_pages: list = []

page_patterns = [
    path("signalements/", include((_pages, "signalements"))),
    path("open311/v2/", include(("carto_concertation.signalements.open311.urls", "open311"))),
]
