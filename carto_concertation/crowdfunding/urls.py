# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's API paths (under /api/v1/crowdfunding/) and pages (under
/financement/, namespace "crowdfunding"): composed by urls.py from the manifest. Each
part declares its own (routes/); the pages with a fixed prefix come before the
"<slug>/" ones (the portal's, last)."""

from django.urls import include, path

from .routes import campaign, followup, portal, review, submission

api_patterns: list = [
    *submission.api_patterns,
    *review.api_patterns,
    *campaign.api_patterns,
    *followup.api_patterns,
    *portal.api_patterns,
]

_pages: list = [
    *submission.page_patterns,
    *review.page_patterns,
    *campaign.page_patterns,
    *followup.page_patterns,
    *portal.page_patterns,
]

page_patterns = [path("financement/", include((_pages, "crowdfunding")))]
