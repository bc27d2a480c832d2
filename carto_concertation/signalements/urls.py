# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' API paths (under /api/v1/signalements/), pages (under /signalements/,
namespace "signalements") and the Open311 GeoReport v2 API (/open311/v2/): composed by
urls.py from the manifest."""

from django.urls import include, path

from . import email_links
from .api import views as api_views
from .api import workflow
from .backoffice import views as desk_views
from .views import report_page, residents

API = "signalements/"
# The workflow's actions on one report (api/workflow.py).
REPORT = API + "reports/<int:pk>/"

api_patterns: list = [
    path(API + "categories", api_views.CategoryListApi.as_view(), name="signalements-categories"),
    path(API + "reports", api_views.ReportListApi.as_view(), name="signalements-reports"),
    path(API + "reports/nearby", api_views.NearbyApi.as_view(), name="signalements-nearby"),
    path(API + "reports/<int:pk>", api_views.ReportDetailApi.as_view(), name="signalements-report"),
    path(API + "confirm", api_views.ConfirmApi.as_view(), name="signalements-confirm"),
    path(API + "photos/<int:pk>", api_views.PhotoFileApi.as_view(), name="signalements-photo"),
    path(REPORT + "state", workflow.ReportStateApi.as_view(), name="report-state"),
    path(REPORT + "reroute", workflow.ReportRerouteApi.as_view(), name="report-reroute"),
    path(REPORT + "duplicate", workflow.ReportDuplicateApi.as_view(), name="report-duplicate"),
    path(REPORT + "follow", workflow.ReportFollowApi.as_view(), name="report-follow"),
    path(REPORT + "fixed", workflow.ReportFixedApi.as_view(), name="report-fixed"),
    path(API + "reports/state", workflow.ReportsStateBulkApi.as_view(), name="reports-state-bulk"),
]

_pages: list = [
    # The e-mails' links (email_links.py).
    path("courriels/arret/<str:token>/", email_links.email_stop, name="email-stop"),
    path("suivre/<str:token>/", email_links.follow_confirm, name="follow-confirm"),
    path("repare/<str:token>/", email_links.fixed_answer, name="fixed-answer"),
    # The services' dashboard (backoffice/), before the spaces' slugs.
    path("services/", desk_views.desk_page, name="desk"),
    path("services/changement-groupe/", desk_views.desk_bulk, name="desk-bulk"),
    path("services/chiffres/", desk_views.desk_figures, name="desk-figures"),
    path("services/export.<str:fmt>", desk_views.desk_export, name="desk-export"),
    path("services/<int:pk>/", desk_views.desk_report_page, name="desk-report"),
    path("services/<int:pk>/photos/<int:photo>", desk_views.desk_report_photo, name="desk-photo"),
    # The residents' pages (views/residents.py, views/report_page.py).
    path("confirmer/<str:token>/", report_page.report_confirm, name="confirm"),
    path("<int:pk>/", report_page.report_page, name="report"),
    path("<int:pk>/suivi/", report_page.report_follow, name="follow"),
    path("<int:pk>/repare/", report_page.report_fixed, name="fixed"),
    path("<slug:slug>/", residents.space_reports, name="space"),
    path("<slug:slug>/signaler/", residents.report_new, name="new"),
    path("<slug:slug>/signaler/envoye/", residents.report_filed, name="filed"),
]

page_patterns = [
    path("signalements/", include((_pages, "signalements"))),
    path("open311/v2/", include(("carto_concertation.signalements.open311.urls", "open311"))),
]
