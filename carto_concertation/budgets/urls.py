# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's API paths (under /api/v1/budgets/) and pages (under
/budgets/, namespace "budgets"): composed by urls.py from the manifest."""

from django.urls import include, path

from .api import pabulib as pabulib_api
from .views import pabulib as pabulib_views

API = "budgets/"

api_patterns: list = [
    path(API + "import", pabulib_api.PabulibImportApi.as_view(), name="budgets-import"),
    path(
        API + "editions/<slug:slug>/export.pb",
        pabulib_api.PabulibExportApi.as_view(),
        name="budgets-export-pb",
    ),
]

_pages: list = [
    path("gestion/importer/", pabulib_views.pabulib_import, name="pabulib-import"),
    path("<slug:slug>/export.pb", pabulib_views.pabulib_export, name="pabulib-export"),
]

page_patterns = [
    path("budgets/", include((_pages, "budgets"))),
]
