# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open311's rows, built from our models at the edge, and its arguments, checked here.

A request never carries the reporter (account, name or e-mail address); its
``requested_datetime`` is when it went public (confirmed), as FixMyStreet's."""

import re
from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from carto_concertation.core.wgs84 import wgs84

from ..models import Category, CategoryQuestion, Report

WGS84 = 4326
# Open311's datatypes of our kinds of extra question: a text answer may take several lines.
DATATYPES = {
    CategoryQuestion.Kind.CHOICE: "singlevaluelist",
    CategoryQuestion.Kind.NUMBER: "number",
    CategoryQuestion.Kind.TEXT: "text",
}
# The detailed state, in FixMyStreet's extended statuses (its Open311 client's words).
DETAILED_STATUS = {
    Report.State.OPEN: "OPEN",
    Report.State.ACKNOWLEDGED: "INVESTIGATING",
    Report.State.IN_PROGRESS: "IN_PROGRESS",
    Report.State.FIXED: "FIXED",
    Report.State.NOT_FIXED: "NO_FURTHER_ACTION",
    Report.State.NOT_RESPONSIBLE: "NOT_COUNCILS_RESPONSIBILITY",
    Report.State.DUPLICATE: "DUPLICATE",
}
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def w3c_datetime(value: datetime | None) -> str | None:
    """ISO 8601 with the offset the spec requires, in the site's time zone."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def service_row(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.questions.all()),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.parent.name if category.parent_id else "",
    }


def service_definition(category: Category) -> dict:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": question.code,
                "datatype": DATATYPES[question.kind],
                "required": question.required,
                "datatype_description": "",
                "order": order,
                "description": question.label,
                "values": [
                    {"key": choice["key"], "name": choice["name"]} for choice in question.choices
                ]
                if question.kind == CategoryQuestion.Kind.CHOICE
                else [],
            }
            for order, question in enumerate(category.questions.all(), start=1)
        ],
    }


def request_row(report: Report, request: HttpRequest) -> dict:
    """A public report as Open311 shows it. ``report.public_updates`` (newest first) and
    ``report.photos`` are prefetched by the view."""
    place = wgs84(report.geom)
    photos = list(report.photos.all())
    notes = report.public_updates[0].text if report.public_updates else ""
    return {
        "service_request_id": report.pk,
        "status": "open" if report.state in Report.OPEN_STATES else "closed",
        "detailed_status": DETAILED_STATUS.get(report.state, ""),
        "status_notes": notes,
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.service.name if report.service_id else "",
        "service_notice": "",
        "requested_datetime": w3c_datetime(report.confirmed_at or report.created_at),
        "updated_datetime": w3c_datetime(report.updated_at),
        "expected_datetime": None,
        "address": report.address,
        "address_id": "",
        "zipcode": "",
        "lat": round(place.y, 6),
        "long": round(place.x, 6),
        "media_url": request.build_absolute_uri(
            reverse("api:signalements-photo", kwargs={"pk": photos[0].pk})
        )
        if photos
        else "",
    }


def comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class RequestFilterSerializer(serializers.Serializer):
    """GET requests' arguments. An empty argument is an absent one (the spec)."""

    service_request_id = serializers.CharField(required=False)
    service_code = serializers.CharField(required=False)
    start_date = serializers.DateTimeField(required=False)
    end_date = serializers.DateTimeField(required=False)
    status = serializers.CharField(required=False)

    def validate_service_request_id(self, value: str) -> list[int]:
        ids = comma_list(value)
        if not all(part.isdigit() and len(part) < 12 for part in ids):
            raise serializers.ValidationError(_("A comma-separated list of request numbers."))
        return [int(part) for part in ids]

    def validate_service_code(self, value: str) -> list[str]:
        return comma_list(value)

    def validate_status(self, value: str) -> list[str]:
        statuses = comma_list(value)
        if not statuses or not set(statuses) <= {"open", "closed"}:
            raise serializers.ValidationError(_("open, closed or both, separated by a comma."))
        return statuses


class RequestPostSerializer(serializers.Serializer):
    """POST requests' arguments. The person's name, phone and device are accepted and not
    kept; ``media_url`` is ignored (the server never fetches an outside address); a place
    is needed as ``lat``/``long``: an address alone is not placed on our map."""

    service_code = serializers.CharField(max_length=60)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    long = serializers.FloatField(required=False, min_value=-180, max_value=180)
    address_string = serializers.CharField(required=False)
    address_id = serializers.CharField(required=False)
    description = serializers.CharField(max_length=3000)
    email = serializers.EmailField(required=False)

    def validate(self, data: dict) -> dict:
        if "lat" not in data or "long" not in data:
            raise serializers.ValidationError(
                {
                    "lat": _(
                        "A place is needed: lat and long in WGS84 (an address alone cannot be placed on the map)."
                    )
                }
            )
        return data


def attributes_of(data) -> dict[str, str | list[str]]:
    """``attribute[code]=value`` (and ``attribute[code][]`` for several values) by code."""
    answers: dict[str, str | list[str]] = {}
    for key in data:
        match = ATTRIBUTE.match(key)
        if match:
            values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
            answers[match.group(1)] = values if match.group(2) else values[-1]
    return answers
