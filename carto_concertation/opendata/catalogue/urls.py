# SPDX-License-Identifier: AGPL-3.0-or-later
"""The DCAT catalogue (/catalogue.jsonld, .ttl, .rdf), the open-data page (/donnees/) and
the open files (/donnees/<siren>/<collection>.<format>)."""

from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("catalogue.jsonld", views.catalogue, {"serialisation": "jsonld"}, name="catalogue-jsonld"),
    path("catalogue.ttl", views.catalogue, {"serialisation": "ttl"}, name="catalogue-ttl"),
    path("catalogue.rdf", views.catalogue, {"serialisation": "rdf"}, name="catalogue-rdf"),
    path("donnees/", views.page, name="page"),
    path("donnees/<str:siren>/<slug:collection>.<str:fmt>", views.open_file, name="file"),
]
