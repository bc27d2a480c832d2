# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' API paths (under /api/v1/signalements/), pages (under /signalements/,
namespace "signalements") and the Open311 GeoReport v2 API (/open311/v2/): composed by
urls.py from the manifest."""

from django.urls import include, path

from .api import views as api_views
from .confirm_page import confirm_page

API = "signalements/"

api_patterns: list = [
    path(API + "categories", api_views.CategoryListApi.as_view(), name="signalements-categories"),
    path(API + "reports", api_views.ReportListApi.as_view(), name="signalements-reports"),
    path(API + "reports/nearby", api_views.NearbyApi.as_view(), name="signalements-nearby"),
    path(API + "reports/<int:pk>", api_views.ReportDetailApi.as_view(), name="signalements-report"),
    path(API + "confirm", api_views.ConfirmApi.as_view(), name="signalements-confirm"),
    path(API + "photos/<int:pk>", api_views.PhotoFileApi.as_view(), name="signalements-photo"),
]

_pages: list = [
    path("confirmer/<str:token>/", confirm_page, name="confirm"),
]

page_patterns = [
    path("signalements/", include((_pages, "signalements"))),
    path("open311/v2/", include(("carto_concertation.signalements.open311.urls", "open311"))),
]
