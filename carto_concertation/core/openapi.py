# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the OpenAPI schema says of every operation beyond its own answers: the refusals
any request may get (checked by the fuzzer, tests/fuzz)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiRequest
from rest_framework import serializers

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


WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
UPLOAD_REFUSED = _(
    "No room left on the server for the upload (its field named): nothing was saved;"
    " try again after Retry-After seconds."
)
OUTAGE = _(
    "A service the platform depends on is briefly away (the database, the cache, the job"
    " queue): nothing was saved; try again after Retry-After seconds."
)


class AutoSchema(openapi.AutoSchema):
    """The refusals that depend on the operation (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS):
    a write may get a 503 when a service is away (core.outages), an upload a 413 when
    the disk has no room for it (core.middleware.media_full_answer)."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None or self.method not in WRITES:
            return operation
        responses = operation.setdefault("responses", {})
        responses.setdefault("503", {**ERROR, "description": str(OUTAGE)})
        if self.method != "DELETE" and takes_upload(self.get_request_serializer()):
            responses.setdefault("413", {**ERROR, "description": str(UPLOAD_REFUSED)})
        return operation


def takes_upload(request) -> bool:
    """Whether a request body (a serializer, its class, OpenApiRequest or a dict of them
    by media type, as extend_schema takes it) has a file among its fields."""
    if isinstance(request, dict):
        return any(takes_upload(each) for each in request.values())
    if isinstance(request, OpenApiRequest):
        return takes_upload(request.request)
    if isinstance(request, type) and issubclass(request, serializers.BaseSerializer):
        request = request()
    if isinstance(request, serializers.ListSerializer):
        return takes_upload(request.child)
    if isinstance(request, serializers.Serializer):
        return any(_file_field(field) for field in request.fields.values())
    return False


def _file_field(field) -> bool:
    if isinstance(field, serializers.FileField):
        return True
    if isinstance(field, serializers.ListField):
        return _file_field(field.child)
    return isinstance(field, serializers.BaseSerializer) and takes_upload(field)
