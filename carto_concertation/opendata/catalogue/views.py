# SPDX-License-Identifier: AGPL-3.0-or-later
"""The catalogue in its three serialisations, the open files and the open-data page.

The harvester refuses redirects: each catalogue path answers 200 itself, to GET and HEAD.
"""

import functools
import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from .dcat import SERIALISATIONS, catalogue_graph, catalogue_serialise, contact_email
from .files import open_file_path
from .formats import FORMATS
from .selectors import open_datasets, open_file_get

SIREN = re.compile(r"[0-9]{9}")
CACHE_SECONDS = 300


def _identity_only(view):
    """The response is sent as written: GZipMiddleware, which reads the request's
    Accept-Encoding after the view, would drop its Content-Length and weaken its ETag
    (a file's checksum, byte for byte). GeoPackages and FlatGeobufs gain little from it
    anyway."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        request.META.pop("HTTP_ACCEPT_ENCODING", None)
        return response

    return wrapped


@require_safe
def catalogue(request: HttpRequest, serialisation: str) -> HttpResponse:
    body = catalogue_serialise(catalogue_graph(), serialisation)
    response = HttpResponse(body, content_type=SERIALISATIONS[serialisation][1])
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
@_identity_only
def open_file(request: HttpRequest, siren: str, collection: str, fmt: str) -> HttpResponse:
    """A file as last written, with its size, date and checksum (strong ETag); 304 when
    the client holds it already."""
    if not SIREN.fullmatch(siren):
        raise Http404
    record = open_file_get(siren=siren, collection_id=collection, fmt=fmt)
    if record is None:
        raise Http404
    path = open_file_path(siren=siren, collection=collection, fmt=fmt)
    etag = f'"{record.sha256}"'
    modified = record.modified.timestamp()
    headers = {"ETag": etag, "Last-Modified": http_date(modified)}
    answered = get_conditional_response(request, etag=etag, last_modified=int(modified))
    if answered is not None:  # 304 (or 412 for an If-Match that fails)
        for name, value in headers.items():
            answered[name] = value
        patch_cache_control(answered, public=True, no_cache=True)
        return answered
    try:
        file = path.open("rb")
    except FileNotFoundError as exc:  # recorded, but removed since by a refresh
        raise Http404 from exc
    response = FileResponse(
        file,
        as_attachment=True,
        filename=f"{collection}-{siren}.{fmt}",
        content_type=FORMATS[fmt].content_type,
    )
    for name, value in headers.items():
        response[name] = value
    # Revalidated at each use: a refresh may change it at any time of the night.
    patch_cache_control(response, public=True, no_cache=True)
    return response


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    """The open-data page: per territory, each dataset, its fields and files, its OGC API
    collection and the catalogue."""
    territories: dict[str, dict] = {}
    for dataset in open_datasets():
        entry = territories.setdefault(
            dataset.territory.siren, {"territory": dataset.territory, "datasets": []}
        )
        entry["datasets"].append(
            {
                "dataset": dataset,
                "files": [(record, FORMATS[record.format]) for record in dataset.files],
            }
        )
    context = {
        "territories": list(territories.values()),
        "licence": settings.OPEN_DATA_LICENCE,
        "licence_url": settings.OPEN_DATA_LICENCE_URL,
        "contact": contact_email(),
    }
    return render(request, "opendata/page.html", context)
