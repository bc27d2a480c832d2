# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' API paths (under /api/v1/signalements/), pages (under /signalements/,
namespace "signalements") and the Open311 GeoReport v2 API (/open311/v2/): composed by
urls.py from the manifest."""

from django.urls import include, path

from . import email_links
from .api import workflow

# The workflow's actions on one report (api/workflow.py).
REPORT = "signalements/reports/<int:pk>/"

api_patterns: list = [
    path(REPORT + "state", workflow.ReportStateApi.as_view(), name="report-state"),
    path(REPORT + "reroute", workflow.ReportRerouteApi.as_view(), name="report-reroute"),
    path(REPORT + "duplicate", workflow.ReportDuplicateApi.as_view(), name="report-duplicate"),
    path(REPORT + "follow", workflow.ReportFollowApi.as_view(), name="report-follow"),
    path(REPORT + "fixed", workflow.ReportFixedApi.as_view(), name="report-fixed"),
    path(
        "signalements/reports/state",
        workflow.ReportsStateBulkApi.as_view(),
        name="reports-state-bulk",
    ),
]

_pages: list = [
    path("courriels/arret/<str:token>/", email_links.email_stop, name="email-stop"),
    path("suivre/<str:token>/", email_links.follow_confirm, name="follow-confirm"),
    path("repare/<str:token>/", email_links.fixed_answer, name="fixed-answer"),
]

page_patterns = [
    path("signalements/", include((_pages, "signalements"))),
]
