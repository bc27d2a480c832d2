# SPDX-License-Identifier: AGPL-3.0-or-later
import sys

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import platform_health
from .outages import is_outage, service_unavailable


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = platform_health()
    return JsonResponse(report, status=200 if not report["failing"] else 503)


def rate_limited(request: HttpRequest, exception: Exception) -> JsonResponse:
    """429 for every rate-limited view (django-ratelimit's RATELIMIT_VIEW)."""
    return JsonResponse(
        {"detail": _("Too many requests: wait a minute before trying again.")}, status=429
    )


def not_found(request: HttpRequest, exception: Exception):
    """404 in JSON under /api/ (a path that matches no route, as the API's own 404s
    answer); the HTML page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest):
    """500 in JSON under /api/, the HTML page elsewhere; a 503 when a service is away
    (an error a middleware raised: core.outages)."""
    error = sys.exc_info()[1]
    if is_outage(error):
        return service_unavailable(request, error)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    return defaults.server_error(request)
