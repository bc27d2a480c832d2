# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from carto_concertation.accounts.api import MeApi
from carto_concertation.concertations import dashboard as dashboard_views
from carto_concertation.concertations import dashboard_api
from carto_concertation.concertations import views as concertation_views
from carto_concertation.concertations.api import ConcertationViewSet
from carto_concertation.contributions import moderation_api
from carto_concertation.contributions.api import (
    ContributionViewSet,
    PhotoDetailApi,
    PhotoFileApi,
    PhotoListApi,
    VoteApi,
)
from carto_concertation.contributions.exports.api import ExportApi
from carto_concertation.core import views as core_views
from carto_concertation.core.api import JobApi
from carto_concertation.core.csp import self_contained_report
from carto_concertation.territories.api import CommuneViewSet, TerritoryViewSet
from carto_concertation.workshops import urls as workshop_urls
from layers.api import LayerListApi
from plui_documents.api import DocumentViewSet, PieceFileApi, RegulationSearchApi, ZoningLookupApi
from tiles import views as tile_views
from tiles.api import OfflinePackageApi, OfflinePackageDownloadApi

router = DefaultRouter()
router.register("territories", TerritoryViewSet, basename="territory")
router.register("communes", CommuneViewSet, basename="commune")
router.register("zoning/documents", DocumentViewSet, basename="plui-document")
router.register("concertations", ConcertationViewSet, basename="concertation")

CONTRIBUTIONS = "concertations/<slug:concertation_slug>/contributions/"
CONTRIBUTION = CONTRIBUTIONS + "<int:pk>/"
COMMENT = "concertations/<slug:concertation_slug>/comments/<int:pk>/"
MODERATION = "concertations/<slug:concertation_slug>/moderation/"
PLANNING = "concertations/<slug:concertation_slug>/"

api_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script served apart (?script), not inline: the CSP holds.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="core/swagger_ui.html"
        ),
        name="docs",
    ),
    path("zoning/lookup", ZoningLookupApi.as_view(), name="zoning-lookup"),
    path("zoning/reglement/search", RegulationSearchApi.as_view(), name="reglement-search"),
    path("zoning/pieces/<int:pk>/file", PieceFileApi.as_view(), name="plui-piece-file"),
    path("layers/", LayerListApi.as_view(), name="layer-list"),
    path("me/", MeApi.as_view(), name="me"),
    path(
        CONTRIBUTIONS,
        ContributionViewSet.as_view({"get": "list", "post": "create"}),
        name="contribution-list",
    ),
    path(
        CONTRIBUTIONS + "similar",
        # The action's own settings (no pagination, no list filters), as a router would.
        ContributionViewSet.as_view({"get": "similar"}, **ContributionViewSet.similar.kwargs),
        name="contribution-similar",
    ),
    path(
        CONTRIBUTION,
        ContributionViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="contribution-detail",
    ),
    path(
        CONTRIBUTION + "withdraw",
        ContributionViewSet.as_view({"post": "withdraw"}),
        name="contribution-withdraw",
    ),
    path(CONTRIBUTION + "photos/", PhotoListApi.as_view(), name="contribution-photos"),
    path(
        CONTRIBUTION + "photos/<int:photo_pk>",
        PhotoDetailApi.as_view(),
        name="contribution-photo-delete",
    ),
    path(CONTRIBUTION + "vote", VoteApi.as_view(), name="contribution-vote"),
    path(
        CONTRIBUTION + "comments/",
        moderation_api.CommentListApi.as_view(),
        name="contribution-comments",
    ),
    path(
        CONTRIBUTION + "report",
        moderation_api.ReportApi.as_view(),
        name="contribution-report",
    ),
    path(
        CONTRIBUTION + "moderation",
        moderation_api.ContributionModerationApi.as_view(),
        name="contribution-moderation",
    ),
    path(CONTRIBUTION + "merge", moderation_api.MergeApi.as_view(), name="contribution-merge"),
    path(CONTRIBUTION + "answer", moderation_api.AnswerApi.as_view(), name="contribution-answer"),
    path(
        COMMENT + "report",
        moderation_api.ReportApi.as_view(target="comment"),
        name="comment-report",
    ),
    path(
        COMMENT + "moderation",
        moderation_api.CommentModerationApi.as_view(),
        name="comment-moderation",
    ),
    path(
        MODERATION + "queue", moderation_api.ModerationQueueApi.as_view(), name="moderation-queue"
    ),
    path(MODERATION + "log", moderation_api.ModerationLogApi.as_view(), name="moderation-log"),
    path("photos/<int:pk>.jpg", PhotoFileApi.as_view(), name="contribution-photo"),
    path("jobs/<uuid:pk>/", JobApi.as_view(), name="job-detail"),
    path("jobs/<uuid:pk>/download", OfflinePackageDownloadApi.as_view(), name="offline-download"),
    path(
        "concertations/<slug:concertation_slug>/offline-package",
        OfflinePackageApi.as_view(),
        name="concertation-offline-package",
    ),
    # Map workshops (issue 7).
    *workshop_urls.api_patterns,
    # Open-data exports (issue 7): before the router's concertation routes.
    path("concertations/<slug:concertation_slug>/export", ExportApi.as_view(), name="export"),
    # Planners' dashboard and bilan (issue 7).
    path(PLANNING + "stats", dashboard_api.StatsApi.as_view(), name="concertation-stats"),
    path(PLANNING + "stats/zones", dashboard_api.StatsZonesApi.as_view(), name="stats-zones"),
    path(
        PLANNING + "stats/communes",
        dashboard_api.StatsCommunesApi.as_view(),
        name="stats-communes",
    ),
    path(PLANNING + "heatmap", dashboard_api.HeatmapApi.as_view(), name="concertation-heatmap"),
    path(
        PLANNING + "answer-templates/",
        dashboard_api.AnswerTemplateListApi.as_view(),
        name="answer-template-list",
    ),
    path(
        PLANNING + "answer-templates/<int:pk>/",
        dashboard_api.AnswerTemplateDetailApi.as_view(),
        name="answer-template-detail",
    ),
    path(PLANNING + "answers/bulk", dashboard_api.BulkAnswerApi.as_view(), name="answer-bulk"),
    path(PLANNING + "bilans/", dashboard_api.BilanListApi.as_view(), name="bilan-list"),
    path(
        PLANNING + "bilans/<uuid:pk>/<str:fmt>",
        self_contained_report(dashboard_api.BilanDownloadApi.as_view()),
        name="bilan-download",
    ),
    *router.urls,
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("concertations/<slug:slug>/", concertation_views.concertation_page, name="concertation"),
    path(
        "concertations/<slug:slug>/tableau-de-bord/",
        dashboard_views.dashboard_page,
        name="concertation-dashboard",
    ),
    path("api/v1/", include((api_patterns, "api"))),
    path("workshops/", include((workshop_urls.page_patterns, "workshops"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("carto_concertation.accounts.urls")),
    path("admin/", admin.site.urls),
    path(
        "tiles/raster/<str:layer>/<int:z>/<int:x>/<int:y>.png",
        tile_views.raster_tile,
        name="raster-tile",
    ),
    path("tiles/raster/<str:layer>.json", tile_views.raster_tilejson_view, name="raster-tilejson"),
    path("tiles/styles/<slug:slug>.json", tile_views.style_view, name="map-style"),
    path("tiles/<str:tileset>.json", tile_views.tilejson_view, name="tilejson"),
    path(
        "tiles/<str:tileset>/<int:z>/<int:x>/<int:y>.mvt",
        tile_views.vector_tile,
        name="vector-tile",
    ),
]

# Under /api/, a path of no route (and a server error) is answered in JSON like the rest.
handler404 = "carto_concertation.core.views.not_found"
handler500 = "carto_concertation.core.views.server_error"
