# SPDX-License-Identifier: AGPL-3.0-or-later
"""How long browsers keep a static file (whitenoise's WHITENOISE_ADD_HEADERS_FUNCTION).

Read by settings.py, so it imports nothing of Django."""

from wsgiref.headers import Headers

# A year: what browsers and proxies are told to keep a file whose name holds its hash.
ONE_YEAR = 365 * 24 * 60 * 60


def year_long_cache(headers: Headers, path: str, url: str) -> None:
    """whitenoise marks a file whose name holds its hash immutable for ten years; a year
    is what HTTP caches are expected to honour (RFC 9111 leaves more to their choice)."""
    if "immutable" in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = f"max-age={ONE_YEAR}, public, immutable"
