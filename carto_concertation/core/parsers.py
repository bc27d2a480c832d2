# SPDX-License-Identifier: AGPL-3.0-or-later
"""The API's JSON parser: a body nested deeper than any of ours is refused before
Python's recursive decoder reaches its limit (a RecursionError, hence a 500)."""

import io
import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, get_encoding

# The deepest body of the API holds a GeoJSON MultiPolygon (six levels); 32 leaves room
# for any honest client.
MAX_DEPTH = 32
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_too_deep(text: str, max_depth: int = MAX_DEPTH) -> str | None:
    """None if ``text`` nests at most ``max_depth`` levels, else the top-level member
    where it goes deeper ("body" when the top level is not an object). Iterative: the
    brackets are counted, strings skipped, nothing decoded."""
    depth = 0
    in_object = False
    last_string = member = "body"
    for match in _TOKENS.finditer(text):
        piece = match.group()
        if piece in "[{":
            if depth == 0:
                in_object = piece == "{"
            elif depth == 1:
                # A key comes before its value: the last string seen is this value's name.
                member = last_string if in_object else "body"
            depth += 1
            if depth > max_depth:
                return member
        elif piece in "]}":
            depth -= 1
        elif depth == 1:
            last_string = piece[1:-1]
    return None


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSONParser, after the depth check (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES)."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        encoding = get_encoding(parser_context or {})
        member = json_too_deep(raw.decode(encoding, errors="replace"))
        if member is not None:
            raise ValidationError(
                {member: [_("Nested deeper than %(max)s levels.") % {"max": MAX_DEPTH}]}
            )
        return super().parse(io.BytesIO(raw), media_type, parser_context)
