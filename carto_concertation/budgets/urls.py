# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's API paths (under /api/v1/budgets/) and pages (under
/budgets/, namespace "budgets"): composed by urls.py from the manifest."""

from django.urls import include, path

API = "budgets/"

api_patterns: list = []

_pages: list = []

page_patterns = [
    path("budgets/", include((_pages, "budgets"))),
]
