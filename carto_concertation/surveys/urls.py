# SPDX-License-Identifier: AGPL-3.0-or-later
"""The consultation's API paths (under /api/v1/surveys/) and pages (under /consultations/,
namespace "surveys"): composed by urls.py from the manifest. Each part declares its own
(routes/); the pages with a fixed prefix come before the "<slug>/" ones."""

from django.urls import include, path

from .routes import answering, builder, exports, listing, relay, results

api_patterns: list = [
    *listing.api_patterns,
    *builder.api_patterns,
    *relay.api_patterns,
    *results.api_patterns,
    *exports.api_patterns,
    *answering.api_patterns,
]

_pages: list = [
    *listing.page_patterns,
    *builder.page_patterns,
    *relay.page_patterns,
    *exports.page_patterns,
    *results.page_patterns,
    *answering.page_patterns,
]

page_patterns = [path("consultations/", include((_pages, "surveys")))]
