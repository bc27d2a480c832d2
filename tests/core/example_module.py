# SPDX-License-Identifier: AGPL-3.0-or-later
"""The URL module of a participation module written for the tests (test_composition.py):
an API path, a route on the API's router and a page under a namespace of its own."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response


class ExampleViewSet(viewsets.ViewSet):
    def list(self, request: Request) -> Response:
        return Response(["un exemple"])


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse("pong")


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("la page de l'exemple")


api_routes = [("examples", ExampleViewSet, "example")]
api_patterns = [path("example/ping", ping, name="example-ping")]
page_patterns = [path("exemple/", include(([path("", page, name="page")], "example")))]
