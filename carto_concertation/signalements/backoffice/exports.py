# SPDX-License-Identifier: AGPL-3.0-or-later
"""The filtered queue as CSV (for French spreadsheets: ``;`` between cells, a UTF-8 BOM,
French headers, local dates dd/mm/yyyy HH:MM) and as GeoJSON (WGS84).

No personal data in either: neither the reporter's name or address, nor the agents'
names. An export leaves the dashboard (it is mailed, shared, kept on a disk); what an
agent needs to reach a reporter is on the report's page, where it stays. The private and
hidden reports of the agent's services are in it, marked so."""

import codecs
import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from carto_concertation.core.audit import audit_record
from carto_concertation.core.text import spreadsheet_cell

from ..models import Report
from .queue import point_feature, with_lonlat

LOCAL = ZoneInfo("Europe/Paris")
CHUNK_ROWS = 500


def _local(moment: datetime | None) -> str:
    return moment.astimezone(LOCAL).strftime("%d/%m/%Y %H:%M") if moment else ""


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def desk_export_record(*, user, fmt: str, filters: list[str]) -> None:
    """An agent's export of the queue in the staff audit journal: the format and the
    names of the filters applied (their values may be words someone typed)."""
    audit_record("signalements.exported", actor=user, format=fmt, filters=filters)


def export_reports(reports: QuerySet[Report]) -> QuerySet[Report]:
    """The rows of the exports, oldest first (the order of a register)."""
    return (
        with_lonlat(reports)
        .select_related("category__parent", "commune", "service__commune", "duplicate_of")
        .order_by("created_at", "pk")
    )


def csv_headers() -> list[str]:
    """The CSV's columns, in French (the active language)."""
    return [
        _("No."),
        _("Filed on"),
        _("Commune"),
        _("INSEE code"),
        _("Category"),
        _("Address"),
        _("Description"),
        _("State"),
        _("Reason"),
        _("Duplicate of"),
        _("Service"),
        _("Public"),
        _("Hidden (banned sender)"),
        _("Taken into account on"),
        _("Fixed on"),
        _("Deadline"),
        _("Overdue"),
        _("Longitude"),
        _("Latitude"),
    ]


def _csv_row(report: Report) -> list:
    """A report's cells, in the order of ``csv_headers``."""
    return [
        report.pk,
        _local(report.created_at),
        spreadsheet_cell(report.commune.name) if report.commune else "",
        report.commune.insee if report.commune else "",
        spreadsheet_cell(str(report.category)),
        spreadsheet_cell(report.address),
        spreadsheet_cell(report.description),
        str(report.get_state_display()),
        spreadsheet_cell(report.state_reason),
        report.duplicate_of_id or "",
        spreadsheet_cell(str(report.service)) if report.service else "",
        _yes(report.is_public),
        _yes(report.is_hidden),
        _local(report.acknowledged_at),
        _local(report.fixed_at),
        _local(report.deadline),
        _yes(report.overdue),
        # French spreadsheets read a decimal comma.
        f"{report.lonlat.x:.6f}".replace(".", ","),
        f"{report.lonlat.y:.6f}".replace(".", ","),
    ]


def csv_chunks(reports: QuerySet[Report]) -> Iterator[bytes]:
    """The CSV, a block of rows at a time: the BOM, the headers, then a line a report."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    yield codecs.BOM_UTF8
    writer.writerow(header[:1].upper() + header[1:] for header in csv_headers())
    for report in export_reports(reports).iterator(chunk_size=CHUNK_ROWS):
        writer.writerow(_csv_row(report))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def report_features(reports: QuerySet[Report]) -> Iterator[dict]:
    """Each report as a GeoJSON feature: the same fields as the CSV, by code, with the
    dates in ISO 8601 (what a GIS reads)."""
    for report in export_reports(reports).iterator(chunk_size=CHUNK_ROWS):
        yield point_feature(
            report,
            {
                "id": report.pk,
                "created_at": _iso(report.created_at),
                "commune": report.commune.name if report.commune else None,
                "insee": report.commune.insee if report.commune else None,
                "category": str(report.category),
                "category_code": report.category.code,
                "address": report.address,
                "description": report.description,
                "state": report.state,
                "state_label": str(report.get_state_display()),
                "state_reason": report.state_reason,
                "duplicate_of": report.duplicate_of_id,
                "service": str(report.service) if report.service else None,
                "is_public": report.is_public,
                "is_hidden": report.is_hidden,
                "acknowledged_at": _iso(report.acknowledged_at),
                "fixed_at": _iso(report.fixed_at),
                "deadline": _iso(report.deadline),
                "overdue": report.overdue,
            },
        )


def _iso(moment: datetime | None) -> str | None:
    """In UTC, to the second, for GDAL's readers (core.modules.published_moment says why)."""
    return moment.isoformat(timespec="seconds") if moment else None


def geojson_chunks(reports: QuerySet[Report]) -> Iterator[bytes]:
    yield b'{"type": "FeatureCollection", "features": ['
    for n, feature in enumerate(report_features(reports)):
        yield (b"," if n else b"") + json.dumps(feature, ensure_ascii=False).encode()
    yield b"]}"
