# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reading a paper-map session's file (CSV with lon/lat or WKT, or GeoJSON) into rows of
ideas, each with its line number; the checks on the ideas are the services'."""

import csv
import hashlib
import io
import json
import math

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.core.parsers import json_too_deep
from carto_concertation.core.serializers import geojson_geometry

from .models import WorkshopCapture
from .services import CapturePayload

Row = tuple[int, CapturePayload | list[dict]]
# Several themes in one cell are separated by a vertical bar ("Mobilité|Habitat").
THEME_SEPARATOR = "|"


# The columns of a paper-map file, under their English names or what a French
# spreadsheet calls them; checked on the header before any row is read.
COLUMNS = {
    "title": ("title", "titre"),
    "text": ("text", "texte", "description"),
    "theme": ("theme", "thème", "themes", "thèmes"),
    "lon": ("lon", "lng", "longitude", "x"),
    "lat": ("lat", "latitude", "y"),
    "wkt": ("wkt", "geometry", "géométrie", "geometrie"),
}
_ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}


def _column(header: str | None) -> str:
    name = (header or "").strip().lower()
    return _ALIASES.get(name, name)


class _Semicolon(csv.excel):
    """What a French spreadsheet writes when the sniffer cannot tell (one column)."""

    delimiter = ";"


def _refused(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) first; spreadsheets on Windows save CP1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise _refused(_("The file is neither UTF-8 nor Windows-1252 text.")) from exc


def _themes(concertation: Concertation, cell: str) -> tuple[list[int], dict | None]:
    by_name = {theme.name.casefold(): theme.pk for theme in concertation.themes.all()}
    names = [name.strip() for name in (cell or "").split(THEME_SEPARATOR) if name.strip()]
    unknown = [name for name in names if name.casefold() not in by_name]
    if unknown:
        return [], {
            "field": "theme",
            "reason": _("Unknown theme: %(names)s (themes of this concertation: %(known)s).")
            % {
                "names": ", ".join(unknown),
                "known": ", ".join(t.name for t in concertation.themes.all()),
            },
        }
    return [by_name[name.casefold()] for name in names], None


def _csv_geometry(record: dict) -> tuple[GEOSGeometry | None, dict | None]:
    wkt = (record.get("wkt") or "").strip()
    if wkt:
        try:
            geometry = GEOSGeometry(wkt, srid=4326)
        except (GEOSException, GDALException, ValueError):
            return None, {"field": "wkt", "reason": _("This is not a WKT geometry.")}
        if geometry.empty:
            return None, {
                "field": "wkt",
                "reason": _("The geometry is empty: give at least one place."),
            }
        return geometry, None
    values = {}
    for name in ("lon", "lat"):
        text = (record.get(name) or "").strip().replace(",", ".")
        try:
            values[name] = float(text)
        except ValueError:
            values[name] = math.nan
        if not math.isfinite(values[name]):
            reason = _("Give a number in decimal degrees (WGS84).") if text else _("Missing.")
            return None, {"field": name, "reason": reason}
    return Point(values["lon"], values["lat"], srid=4326), None


def _csv_rows(text: str, concertation: Concertation, channel: str) -> list[Row]:
    # Old Mac spreadsheets end lines with CR alone, which the csv module refuses.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        return _csv_records(text, concertation, channel)
    except csv.Error as exc:
        raise _refused(_("This is not a readable CSV file: %(error)s.") % {"error": exc}) from exc


def _csv_records(text: str, concertation: Concertation, channel: str) -> list[Row]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,")
    except csv.Error:
        dialect = _Semicolon
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = {_column(name) for name in reader.fieldnames or []}
    missing = {"title", "text"} - columns
    if missing or not ({"lon", "lat"} <= columns or "wkt" in columns):
        raise _refused(
            _("The CSV needs the columns title, text, theme and either lon and lat or wkt.")
        )
    rows = []
    for record in reader:
        record = {_column(name): value for name, value in record.items()}
        # Line 1 is the header: a row's line is the one a spreadsheet shows.
        line = reader.line_num
        rows.append(_row(line, record, _csv_geometry(record), concertation, channel))
    return rows


def _geojson_rows(text: str, concertation: Concertation, channel: str) -> list[Row]:
    if json_too_deep(text) is not None:
        raise _refused(_("This JSON is nested too deep for a GeoJSON file."))
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refused(_("This is not JSON: %(error)s.") % {"error": exc.msg}) from exc
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise _refused(_("A GeoJSON file must hold a FeatureCollection."))
    features = collection.get("features") or []
    if not isinstance(features, list):
        raise _refused(_("A GeoJSON file must hold a FeatureCollection."))
    rows = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            rows.append(
                (
                    number,
                    [
                        {
                            "line": number,
                            "field": "feature",
                            "reason": _("This is not a GeoJSON feature."),
                        }
                    ],
                )
            )
            continue
        properties = feature.get("properties") or {}
        try:
            found = geojson_geometry(feature.get("geometry")), None
        except ValidationError as exc:
            found = None, {"field": "geometry", "reason": " ".join(exc.messages)}
        rows.append(_row(number, properties, found, concertation, channel))
    return rows


def _row(line: int, record: dict, found, concertation: Concertation, channel: str) -> Row:
    geometry, geometry_error = found
    theme_ids, theme_error = _themes(concertation, str(record.get("theme") or ""))
    # The title goes with the errors for the page's report (the API's leaves it out).
    title = str(record.get("title") or "")
    errors = [
        dict(error, line=line, title=title)
        for error in (geometry_error, theme_error)
        if error is not None
    ]
    if errors:
        return line, errors
    return line, CapturePayload(
        title=str(record.get("title") or ""),
        text=str(record.get("text") or ""),
        geometry=geometry,
        theme_ids=theme_ids,
        channel=channel,
    )


def paper_rows(*, upload, concertation: Concertation) -> tuple[list[Row], str]:
    """The rows of an uploaded file and the file's digest (which keys its captures)."""
    if upload.size > settings.WORKSHOP_IMPORT_MAX_BYTES:
        raise _refused(
            _("The file is too large (at most %(max)s kB).")
            % {"max": settings.WORKSHOP_IMPORT_MAX_BYTES // 1024}
        )
    raw = upload.read()
    text = _decode(raw)
    channel = WorkshopCapture.Channel.PAPER
    name = (upload.name or "").lower()
    if name.endswith((".geojson", ".json")) or text.lstrip().startswith("{"):
        rows = _geojson_rows(text, concertation, channel)
    else:
        rows = _csv_rows(text, concertation, channel)
    if not rows:
        raise _refused(_("The file holds no idea."))
    if len(rows) > settings.WORKSHOP_IMPORT_MAX_ROWS:
        # One request stays within the write rate: a session is dozens of ideas, not thousands.
        raise _refused(
            _("Too many ideas in one file (%(count)s, at most %(max)s): split it.")
            % {"count": len(rows), "max": settings.WORKSHOP_IMPORT_MAX_ROWS}
        )
    return rows, hashlib.sha256(raw).hexdigest()
