# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' API paths (under /api/v1/signalements/), pages (under /signalements/,
namespace "signalements") and the Open311 GeoReport v2 API (/open311/v2/): composed by
urls.py from the manifest."""

from django.urls import include, path

from .api import views as api_views
from .views import residents

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
    # The residents' pages (views/residents.py).
    path("confirmer/<str:token>/", residents.report_confirm, name="confirm"),
    path("<int:pk>/", residents.report_page, name="report"),
    path("<int:pk>/suivi/", residents.report_follow, name="follow"),
    path("<int:pk>/repare/", residents.report_fixed, name="fixed"),
    path("<slug:slug>/", residents.space_reports, name="space"),
    path("<slug:slug>/signaler/", residents.report_new, name="new"),
    path("<slug:slug>/signaler/envoye/", residents.report_filed, name="filed"),
]

page_patterns = [
    path("signalements/", include((_pages, "signalements"))),
]
