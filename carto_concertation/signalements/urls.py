# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' API paths (under /api/v1/signalements/), pages (under /signalements/,
namespace "signalements") and the Open311 GeoReport v2 API (/open311/v2/): composed by
urls.py from the manifest."""

from django.urls import include, path

from .backoffice import views as desk_views

api_patterns: list = []

_pages: list = [
    # The services' dashboard (backoffice/).
    path("services/", desk_views.desk_page, name="desk"),
    path("services/changement-groupe/", desk_views.desk_bulk, name="desk-bulk"),
    path("services/chiffres/", desk_views.desk_figures, name="desk-figures"),
    path("services/export.<str:fmt>", desk_views.desk_export, name="desk-export"),
    path("services/<int:pk>/", desk_views.desk_report_page, name="desk-report"),
    path("services/<int:pk>/photos/<int:photo>", desk_views.desk_report_photo, name="desk-photo"),
]

page_patterns = [
    path("signalements/", include((_pages, "signalements"))),
]
