# SPDX-License-Identifier: AGPL-3.0-or-later
"""The site's URLs: the backbone's, written here, and each registered space's and module's,
read from its manifest's URL module (core.modules, the ``urls`` slot). No module is named
here: a new module's paths are served once its app is installed."""

from importlib import import_module

from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from carto_concertation.accounts import views as account_views
from carto_concertation.accounts.api import MeApi
from carto_concertation.core import views as core_views
from carto_concertation.core.api import DatasetListApi, JobApi
from carto_concertation.core.modules import composed
from carto_concertation.site import views as site_views
from carto_concertation.territories.api import CommuneViewSet, TerritoryViewSet
from layers.api import LayerListApi
from plui_documents.api import DocumentViewSet, PieceFileApi, RegulationSearchApi, ZoningLookupApi
from tiles import views as tile_views
from tiles.api import OfflinePackageApi, OfflinePackageDownloadApi

Patterns = list[URLPattern | URLResolver]


def urlpatterns_compose() -> Patterns:
    """The URLconf of the backbone and of the spaces and modules registered now.

    A function rather than a list written at import, for a test to compose the URLs again
    with a module of its own registered (override_settings(ROOT_URLCONF=...)) instead of
    reloading this module."""
    url_modules = [import_module(part.urls) for part in composed() if part.urls]
    router = DefaultRouter()
    router.register("territories", TerritoryViewSet, basename="territory")
    router.register("communes", CommuneViewSet, basename="commune")
    router.register("zoning/documents", DocumentViewSet, basename="plui-document")
    for url_module in url_modules:
        for prefix, viewset, basename in getattr(url_module, "api_routes", ()):
            router.register(prefix, viewset, basename=basename)
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
        path("jobs/<uuid:pk>/", JobApi.as_view(), name="job-detail"),
        path("datasets/", DatasetListApi.as_view(), name="dataset-list"),
        path(
            "jobs/<uuid:pk>/download", OfflinePackageDownloadApi.as_view(), name="offline-download"
        ),
        path(
            "concertations/<slug:concertation_slug>/offline-package",
            OfflinePackageApi.as_view(),
            name="concertation-offline-package",
        ),
        # The spaces' and modules' paths, before the router's routes: a path of a module
        # under a router's prefix (concertations/<slug>/export) is matched first.
        *(p for url_module in url_modules for p in getattr(url_module, "api_patterns", ())),
        *router.urls,
    ]
    return [
        path("", site_views.home, name="home"),
        path("healthz", core_views.healthz, name="healthz"),
        path("api/v1/", include((api_patterns, "api"))),
        path("i18n/", include("django.conf.urls.i18n")),
        path("accounts/", include("carto_concertation.accounts.urls")),
        # Outside /accounts/, which a staff member without a second factor may reach.
        path(
            "administration/second-facteur/",
            account_views.second_factor_reset,
            name="second-factor-reset",
        ),
        path("admin/", admin.site.urls),
        # Open data: OGC API under /ogc/, the DCAT catalogue and the open files.
        path("", include("carto_concertation.opendata.urls")),
        # The moderators' back office and the report page, where engagement is installed
        # (the backbone runs without it).
        *(
            [path("", include("carto_concertation.engagement.urls"))]
            if apps.is_installed("carto_concertation.engagement")
            else []
        ),
        path(
            "tiles/raster/<str:layer>/<int:z>/<int:x>/<int:y>.png",
            tile_views.raster_tile,
            name="raster-tile",
        ),
        path(
            "tiles/raster/<str:layer>.json", tile_views.raster_tilejson_view, name="raster-tilejson"
        ),
        path("tiles/styles/<slug:slug>.json", tile_views.style_view, name="map-style"),
        path("tiles/<str:tileset>.json", tile_views.tilejson_view, name="tilejson"),
        path(
            "tiles/<str:tileset>/<int:z>/<int:x>/<int:y>.mvt",
            tile_views.vector_tile,
            name="vector-tile",
        ),
        # After the backbone's: a module's page cannot hide one of the house's.
        *(p for url_module in url_modules for p in getattr(url_module, "page_patterns", ())),
    ]


urlpatterns = urlpatterns_compose()

# Under /api/, a path of no route (and a server error) is answered in JSON like the rest.
handler404 = "carto_concertation.core.views.not_found"
handler500 = "carto_concertation.core.views.server_error"
