# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open data's paths: OGC API – Features and Tiles under /ogc/ (opendata.ogc), the DCAT
catalogue, the open files and the open-data page (opendata.catalogue)."""

from django.urls import include, path

urlpatterns = [
    path("ogc/", include("carto_concertation.opendata.ogc.urls")),
    path("", include("carto_concertation.opendata.catalogue.urls")),
]
