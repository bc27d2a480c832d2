# SPDX-License-Identifier: AGPL-3.0-or-later
"""Requests that no view can answer, refused before any of them runs, and the media
disk full, answered after one tried."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .modules import space_public_shared
from .storage import MediaFull, UploadSpoolFull

logger = logging.getLogger(__name__)

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


def space_reads_shared(get_response: Callable[[HttpRequest], HttpResponse]):
    """A read reads each public space once (core.modules.space_public_shared): a TileJSON
    asked for its layers and whether its module is on, a style for its space and each
    tileset's, four queries each time. Not around writes, which may change a space and
    read it again."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return get_response(request)
        with space_public_shared():
            return get_response(request)

    return middleware


def _nul_place(request: HttpRequest) -> str | None:
    if NUL in request.path:
        return "path"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "\\x00")
    return None


class MediaFullRefused:
    """A write that found the media disk full (core.storage.MediaFull) is refused with a
    413 in French (a JSON ``detail`` for the API, a page otherwise), not a 500: its
    transaction was rolled back and its files removed (core.photos.removed_on_error).

    413 ("more than the server is able to process"), with Retry-After: the person is
    not at fault, and the same upload may go through once an administrator made room.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, MediaFull):
            return None
        return media_full_answer(request, exception)


def media_full_answer(request: HttpRequest, exception: MediaFull) -> HttpResponse:
    """The 413 of a write the full disk refused: a JSON ``detail`` (and the field, when
    the upload's temporary file did not fit) under /api/, a page otherwise."""
    field = getattr(exception, "field", None)
    if field is None:
        logger.error("The media disk is full: %s %s refused", request.method, request.path)
        message = _(
            "The server has no room left to store files: nothing was saved. Try again"
            " later; if it lasts, tell the administrator of the platform."
        )
    else:
        logger.error(
            "The upload temporary directory is full: %s %s refused (field %s)",
            request.method,
            request.path,
            field,
        )
        message = _(
            "The server has no room left to receive the file of the field “%(field)s”:"
            " nothing was saved. Try again later; if it lasts, tell the administrator of"
            " the platform."
        ) % {"field": field}
    if request.path.startswith("/api/"):
        body = {"detail": message} if field is None else {field: [message], "detail": message}
        response = JsonResponse(body, status=413)
    else:
        response = render(request, "core/media_full.html", {"message": message}, status=413)
    response["Retry-After"] = "3600"
    return response


class UploadSpoolFullRefused:
    """An upload the temporary directory had no room for (core.storage.UploadSpoolFull),
    found while CsrfViewMiddleware reads the form, before any view: the same 413.

    Placed before CsrfViewMiddleware, it reads the form of the requests that one would
    read (a POST to a view not exempt from CSRF): an error there would end in a 500, as
    process_exception only sees the views' own. The API's views (exempt, DRF checks
    CSRF itself) read theirs in the view: MediaFullRefused answers those."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if request.method != "POST" or getattr(view, "csrf_exempt", False):
            return None
        try:
            request.POST  # noqa: B018 (reads the body, spooling its files)
        except UploadSpoolFull as error:
            return media_full_answer(request, error)
        return None
