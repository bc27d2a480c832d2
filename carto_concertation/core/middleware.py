# SPDX-License-Identifier: AGPL-3.0-or-later
"""Requests that no view can answer, refused before any of them runs."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def nul_refused(get_response: Callable[[HttpRequest], HttpResponse]):
    """A NUL byte in the path or a query parameter is a 400 naming where it is.

    PostgreSQL refuses NUL in text, so such a value would reach a filter or a lookup
    and end in a 500; no name, slug, code or search term of ours holds one.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        place = _nul_place(request)
        if place is None:
            return get_response(request)
        return JsonResponse({place: [_("Null characters are not allowed.")]}, status=400)

    return middleware


def _nul_place(request: HttpRequest) -> str | None:
    if NUL in request.path:
        return "path"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "\\x00")
    return None
