# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' API paths (under /api/v1/signalements/), pages (under /signalements/,
namespace "signalements") and the Open311 GeoReport v2 API (/open311/v2/): composed by
urls.py from the manifest."""

from django.urls import include, path

from .views import residents

api_patterns: list = []

_pages: list = [
    # The residents' pages (views/residents.py).
    path("confirmer/<str:token>/", residents.report_confirm, name="confirm"),
    path("<int:pk>/", residents.report_page, name="report"),
    path("<int:pk>/photos/<int:photo_pk>.jpg", residents.report_photo, name="photo"),
    path("<int:pk>/suivi/", residents.report_follow, name="follow"),
    path("<int:pk>/repare/", residents.report_fixed, name="fixed"),
    path("<slug:slug>/", residents.space_reports, name="space"),
    path("<slug:slug>/signaler/", residents.report_new, name="new"),
    path("<slug:slug>/signaler/envoye/", residents.report_filed, name="filed"),
]

page_patterns = [
    path("signalements/", include((_pages, "signalements"))),
]
