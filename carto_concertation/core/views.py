# SPDX-License-Identifier: AGPL-3.0-or-later
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from carto_concertation.territories.selectors import territory_list

from .health import platform_health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = platform_health()
    return JsonResponse(report, status=200 if not report["failing"] else 503)


@require_GET
def home(request: HttpRequest):
    territories = territory_list().prefetch_related("communes")
    return render(request, "core/home.html", {"territories": territories})
