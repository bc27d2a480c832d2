# SPDX-License-Identifier: AGPL-3.0-or-later
"""The workshops' API paths (under /api/v1/) and pages (under /workshops/, namespace
"workshops"): composed by urls.py from the workshops' manifest."""

from django.urls import include, path

from . import api, views

WORKSHOP = "workshops/<int:pk>/"

api_patterns = [
    path("workshops/", api.WorkshopListApi.as_view(), name="workshop-list"),
    path(WORKSHOP, api.WorkshopDetailApi.as_view(), name="workshop-detail"),
    path(WORKSHOP + "captures", api.CaptureApi.as_view(), name="workshop-captures"),
    path(WORKSHOP + "paper-import", api.PaperImportApi.as_view(), name="workshop-paper-import"),
    path(WORKSHOP + "print-map", api.PrintMapApi.as_view(), name="workshop-print-map"),
    path(
        "workshops/print-maps/<uuid:pk>/download",
        api.PrintMapDownloadApi.as_view(),
        name="workshop-print-map-download",
    ),
]

_pages = [
    path("", views.workshop_list_page, name="workshop-list"),
    path("<int:pk>/", views.workshop_page, name="workshop-detail"),
    path("<int:pk>/capture/", views.workshop_capture_page, name="workshop-capture"),
    path("<int:pk>/paper-import/", views.workshop_paper_import_page, name="workshop-paper-import"),
    path("<int:pk>/print/", views.workshop_print_page, name="workshop-print"),
    path(
        "<int:pk>/offline-package/",
        views.workshop_offline_package_page,
        name="workshop-offline-package",
    ),
    path("<int:pk>/jobs/<uuid:job>/", views.workshop_job_page, name="workshop-job"),
    path("<int:pk>/summary/", views.workshop_summary_page, name="workshop-summary"),
    path("capture-sw.js", views.capture_service_worker, name="capture-service-worker"),
    path("capture-map-worker.mjs", views.capture_map_worker, name="capture-map-worker"),
]

page_patterns = [path("workshops/", include((_pages, "workshops")))]
