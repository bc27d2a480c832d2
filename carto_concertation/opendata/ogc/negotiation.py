# SPDX-License-Identifier: AGPL-3.0-or-later
"""Which encoding a request gets — HTML for a browser or ``f=html``, JSON for the rest
(OWSLib sends ``Accept: */*``, GDAL ``application/geo+json, application/json``) — and the
links, answers and errors in that encoding."""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .parameters import OgcError

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
_HTML_TYPES = {"text/html", "application/xhtml+xml"}


def _accepted(header: str) -> list[tuple[str, float]]:
    found = []
    for item in header.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _sep, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            found.append((media.lower(), quality))
    return found


def wants_html(request: HttpRequest) -> bool:
    """``f`` decides; otherwise HTML only when the Accept header puts it before any JSON
    (a browser's ``text/html,…,*/*;q=0.8``); ``*/*`` and no header get JSON."""
    chosen = request.GET.get("f")
    if chosen in ("html", "json"):
        return chosen == "html"
    best = {"html": (0.0, 0), "data": (0.0, 0)}
    for position, (media, quality) in enumerate(_accepted(request.headers.get("Accept", ""))):
        if media in _HTML_TYPES:
            kind = "html"
        elif media in ("*/*", "application/*") or media.endswith("json"):
            kind = "data"
        else:
            continue
        if quality > 0:
            best[kind] = max(best[kind], (quality, -position))
    return best["html"][0] > 0 and best["html"] > best["data"]


def url_with(request: HttpRequest, path: str | None = None, **changes: Any) -> str:
    """The absolute URL of ``path`` (the request's own by default) with the request's
    parameters, changed by ``changes`` (None drops one)."""
    query = request.GET.copy()
    for name, value in changes.items():
        name = name.replace("_", "-")
        if value is None:
            query.pop(name, None)
        else:
            query[name] = str(value)
    encoded = query.urlencode(safe=",:/")
    base = request.build_absolute_uri(path or request.path)
    return f"{base}?{encoded}" if encoded else base


def link(href: str, rel: str, media_type: str, title: str = "", **extra: Any) -> dict:
    found = {"href": href, "rel": rel, "type": media_type}
    if title:
        found["title"] = str(title)
    return {**found, **extra}


def self_links(request: HttpRequest, media_type: str = JSON) -> list[dict]:
    """``self`` in the encoding answered and ``alternate`` in the other one."""
    if wants_html(request):
        return [
            link(url_with(request, f="html"), "self", HTML, _("This page")),
            link(url_with(request, f="json"), "alternate", media_type, _("This document in JSON")),
        ]
    return [
        link(url_with(request, f="json"), "self", media_type, _("This document")),
        link(url_with(request, f="html"), "alternate", HTML, _("This document as HTML")),
    ]


def json_answer(document: Any, media_type: str = JSON, status: int = 200) -> HttpResponse:
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False)
    return HttpResponse(body.encode(), status=status, content_type=media_type)


def answer(
    request: HttpRequest,
    document: dict,
    template: str,
    context: dict | None = None,
    media_type: str = JSON,
    headers: dict | None = None,
) -> HttpResponse:
    """The document as JSON (``media_type``) or as its HTML page."""
    if wants_html(request):
        page = {
            "document": document,
            "json_url": url_with(request, f="json"),
            "pretty": json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
            **(context or {}),
        }
        response = render(request, template, page)
    else:
        response = json_answer(document, media_type)
    for name, value in (headers or {}).items():
        response[name] = value
    patch_vary_headers(response, ["Accept"])
    return response


def error_answer(request: HttpRequest, error: OgcError) -> HttpResponse:
    """OGC's exception (``code``, ``description``) in JSON, or the error page."""
    code = "NotFound" if error.status == 404 else "InvalidParameterValue"
    document = {"code": code, "description": str(error)}
    if wants_html(request):
        response = render(request, "opendata/ogc/error.html", {"error": error}, status=error.status)
    else:
        response = json_answer(document, JSON, error.status)
    patch_vary_headers(response, ["Accept"])
    return response


def ogc_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An OgcError raised anywhere in the view becomes its 400 or 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except OgcError as error:
            return error_answer(request, error)

    return wrapped
