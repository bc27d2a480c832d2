# SPDX-License-Identifier: AGPL-3.0-or-later
"""OGC API – Features and Tiles, under /ogc/ (docs/opendata-ogc.md)."""

from django.urls import path

from . import views

app_name = "ogc"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("conformance", views.conformance, name="conformance"),
    path("api", views.api, name="api"),
    path("collections", views.collection_list, name="collections"),
    path("collections/<str:collection_id>", views.collection_detail, name="collection"),
    path("collections/<str:collection_id>/items", views.items, name="items"),
    path("collections/<str:collection_id>/items/<str:feature_id>", views.item, name="item"),
    path("collections/<str:collection_id>/tiles", views.tilesets, name="tilesets"),
    path("collections/<str:collection_id>/tiles/<str:tms_id>", views.tileset, name="tileset"),
    path("tileMatrixSets", views.tile_matrix_sets, name="tile-matrix-sets"),
    path("tileMatrixSets/<str:tms_id>", views.tile_matrix_set, name="tile-matrix-set"),
]
