# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from carto_concertation.contributions.api import ContributionViewSet, VoteApi
from carto_concertation.core import views as core_views
from carto_concertation.core.api import JobApi
from carto_concertation.territories.api import CommuneViewSet, TerritoryViewSet
from layers.api import LayerListApi
from plui_documents.api import DocumentViewSet, PieceFileApi, RegulationSearchApi, ZoningLookupApi
from tiles import views as tile_views
from tiles.api import OfflinePackageApi, OfflinePackageDownloadApi

router = DefaultRouter()
router.register("territories", TerritoryViewSet, basename="territory")
router.register("communes", CommuneViewSet, basename="commune")
router.register("zoning/documents", DocumentViewSet, basename="plui-document")

api_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("zoning/lookup", ZoningLookupApi.as_view(), name="zoning-lookup"),
    path("zoning/reglement/search", RegulationSearchApi.as_view(), name="reglement-search"),
    path("zoning/pieces/<int:pk>/file", PieceFileApi.as_view(), name="plui-piece-file"),
    path("layers/", LayerListApi.as_view(), name="layer-list"),
    path(
        "concertations/<slug:concertation_slug>/contributions/",
        ContributionViewSet.as_view({"get": "list", "post": "create"}),
        name="contribution-list",
    ),
    path(
        "concertations/<slug:concertation_slug>/contributions/<int:pk>/",
        ContributionViewSet.as_view({"get": "retrieve"}),
        name="contribution-detail",
    ),
    path(
        "concertations/<slug:concertation_slug>/contributions/<int:pk>/vote",
        VoteApi.as_view(),
        name="contribution-vote",
    ),
    path("jobs/<uuid:pk>/", JobApi.as_view(), name="job-detail"),
    path("jobs/<uuid:pk>/download", OfflinePackageDownloadApi.as_view(), name="offline-download"),
    path(
        "territories/<str:siren>/offline-package",
        OfflinePackageApi.as_view(),
        name="territory-offline-package",
    ),
    *router.urls,
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include((api_patterns, "api"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path(
        "tiles/raster/<str:layer>/<int:z>/<int:x>/<int:y>.png",
        tile_views.raster_tile,
        name="raster-tile",
    ),
    path("tiles/<str:tileset>.json", tile_views.tilejson_view, name="tilejson"),
    path(
        "tiles/<str:tileset>/<int:z>/<int:x>/<int:y>.mvt",
        tile_views.vector_tile,
        name="vector-tile",
    ),
]
