# SPDX-License-Identifier: AGPL-3.0-or-later
"""The catalogue in its three serialisations, the open files and the open-data page.

The harvester refuses redirects: each catalogue path answers 200 itself, to GET and HEAD.
"""

import functools
import os
import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
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
# One range of bytes (what GDAL's /vsicurl/ and FlatGeobuf's readers ask); any other
# Range header is answered with the whole file, as RFC 9110 allows.
BYTE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK_BYTES = 256 * 1024


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


def _described(response: HttpResponse, headers: dict[str, str]) -> HttpResponse:
    for name, value in headers.items():
        response[name] = value
    # Revalidated at each use: a refresh may change the file any night.
    patch_cache_control(response, public=True, no_cache=True)
    return response


@require_safe
@_identity_only
def open_file(request: HttpRequest, siren: str, collection: str, fmt: str) -> HttpResponse:
    """A file as last written, with its size, date and checksum (strong ETag); 304 when
    the client holds it already, 206 for a range of it."""
    if not SIREN.fullmatch(siren):
        raise Http404
    record = open_file_get(siren=siren, collection_id=collection, fmt=fmt)
    if record is None:
        raise Http404
    etag = f'"{record.sha256}"'
    modified = record.modified.timestamp()
    headers = {"ETag": etag, "Last-Modified": http_date(modified), "Accept-Ranges": "bytes"}
    answered = get_conditional_response(request, etag=etag, last_modified=int(modified))
    if answered is not None:  # 304 (or 412 for an If-Match that fails)
        return _described(answered, headers)
    try:
        file = open_file_path(siren=siren, collection=collection, fmt=fmt).open("rb")
    except FileNotFoundError as exc:  # recorded, but removed since by a refresh
        raise Http404 from exc
    content_type = FORMATS[fmt].content_type
    size = os.fstat(file.fileno()).st_size
    wanted = _byte_range(request, size, etag)
    if wanted == "unsatisfiable":
        file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is not None:
        start, end = wanted
        part = _file_part(file, start, end - start + 1)
        response = StreamingHttpResponse(part, status=206, content_type=content_type)
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        return _described(response, headers)
    name = f"{collection}-{siren}.{fmt}"
    response = FileResponse(file, as_attachment=True, filename=name, content_type=content_type)
    return _described(response, headers)


def _byte_range(request: HttpRequest, size: int, etag: str):
    """(first, last) byte asked by a Range header, "unsatisfiable", or None for the
    whole file (no Range, several ranges, or an If-Range naming another version)."""
    header = request.headers.get("Range", "").strip()
    if not header or request.headers.get("If-Range", etag) != etag:
        return None
    found = BYTE_RANGE.fullmatch(header)
    if found is None or not (found[1] or found[2]):
        return None
    if found[1]:
        start = int(found[1])
        end = min(int(found[2]), size - 1) if found[2] else size - 1
        if found[2] and int(found[2]) < start:
            return None  # not a valid range: ignored (RFC 9110, 14.1.1)
    else:  # the last n bytes
        start, end = max(size - int(found[2]), 0), size - 1
        if not int(found[2]):
            return "unsatisfiable"
    return "unsatisfiable" if start >= size else (start, end)


def _file_part(file, start: int, length: int):
    with file:
        file.seek(start)
        while length > 0 and (chunk := file.read(min(CHUNK_BYTES, length))):
            length -= len(chunk)
            yield chunk


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
