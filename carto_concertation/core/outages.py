# SPDX-License-Identifier: AGPL-3.0-or-later
"""A service the site depends on is away (PostgreSQL restarting, Redis stopped, the
Celery broker unreachable): a 503 in French with when to try again, never a 500.

The middleware answers the errors a view raises; server_error (handler500) the ones
raised in a middleware (a session read while PostgreSQL restarts), through the same
service_unavailable(). Neither reads the database nor the cache.
"""

import logging
from collections.abc import Callable

import kombu.exceptions
import redis
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
OUTAGES = (OperationalError, InterfaceError, redis.RedisError, kombu.exceptions.OperationalError)


def is_outage(error: BaseException | None) -> bool:
    """An error of a service away, or raised because of one: Celery's Redis result
    backend raises a RuntimeError from the connection error when it cannot subscribe."""
    while error is not None:
        if isinstance(error, OUTAGES):
            return True
        error = error.__cause__
    return False


def service_unavailable(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The 503 of a request a service's outage interrupted: JSON under /api/, a page
    of its own elsewhere (not base.html, whose menu reads the database)."""
    logger.warning("%s %s: service unavailable: %r", request.method, request.path, error)
    message = _("The service is briefly unavailable; please try again in a moment.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        body = render_to_string("core/503.html", {"message": message})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def outages_answered(get_response: Callable[[HttpRequest], HttpResponse]):
    """A view interrupted by a service's outage answers 503 (service_unavailable)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        return get_response(request)

    def process_exception(request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return service_unavailable(request, exception) if is_outage(exception) else None

    middleware.process_exception = process_exception
    return middleware
