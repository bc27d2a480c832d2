# SPDX-License-Identifier: AGPL-3.0-or-later
"""/open311/v2/ (namespace "open311"): each resource with its format suffix, ``.xml`` or
``.json`` (another suffix is answered 404 by the content negotiation, as an error list)."""

from django.urls import path

from . import views

urlpatterns = [
    path("discovery.<str:format>", views.DiscoveryView.as_view(), name="discovery"),
    path("services.<str:format>", views.ServiceListView.as_view(), name="services"),
    path(
        "services/<str:code>.<str:format>",
        views.ServiceDefinitionView.as_view(),
        name="service-definition",
    ),
    path("requests.<str:format>", views.RequestsView.as_view(), name="requests"),
    path("requests/<str:pk>.<str:format>", views.RequestDetailView.as_view(), name="request"),
    path("tokens/<str:token>.<str:format>", views.TokenView.as_view(), name="token"),
]
