# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the OpenAPI schema says of every operation beyond its own answers: the refusals
any request may get (checked by the fuzzer, tests/fuzz)."""

from django.utils.translation import gettext_lazy as _

# A refusal names the fields at fault ({"field": ["reason"]}) or says why ({"detail": …}).
ERROR = {
    "description": "",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "additionalProperties": True,
                "example": {"geometry": ["Give a GeoJSON geometry object."]},
            }
        }
    },
}

REFUSALS = {
    "400": _("Malformed request: the fields at fault and why (a NUL byte, a bad geometry…)."),
    "401": _("Not signed in."),
    "403": _("Not allowed, or a signed-in write without its CSRF token."),
    "404": _("Not found, or not visible to this person."),
    "405": _("This method is not taken here."),
    "406": _("No answer in the format asked for."),
    "409": _("In conflict with what is already recorded."),
    "415": _("A request body of a type this operation does not read."),
    "429": _("Too many requests: try again after Retry-After seconds."),
}


def error_responses(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: every operation documents the refusals."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation.setdefault("responses", {})
            for status, description in REFUSALS.items():
                responses.setdefault(status, {**ERROR, "description": str(description)})
    return result
