# SPDX-License-Identifier: AGPL-3.0-or-later
"""The open files (issue 22, point 4): for each collection and territory, its features as
GeoJSON (CRS84), CSV (a WKT column in CRS84), GeoPackage (settings.SRID) and, from
OPEN_DATA_FLATGEOBUF_FROM features on, FlatGeobuf (CRS84).

The features are read once, through opendata.features (declared public fields only);
the GeoJSON and the CSV are written in that pass, then ogr2ogr makes the GeoPackage from
the GeoJSON, with each declared field's type, and the FlatGeobuf from the GeoPackage.
Everything is written in a temporary folder beside the files and renamed over them once
complete (a reader never meets half a file), then recorded (OpenFile) in one
transaction. A refresh that finds the GeoJSON unchanged keeps every file and its date.
"""

import contextlib
import csv
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils import timezone, translation

from carto_concertation.core.text import spreadsheet_cell
from carto_concertation.territories.models import Territory
from layers.staging import Ogr2ogrFailed, ogr2ogr_run

from ..collections import Collection, collections
from ..features import features_all
from ..models import OpenFile
from .selectors import collection_open_in

logger = logging.getLogger(__name__)

# Safe as a file name and a path segment: every collection id the house declares is.
COLLECTION_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
WKT_COLUMN = "wkt"
# OGR SQL's CAST type of each declared field type (JSON Schema's words, PublicField).
# Text needs none: the GeoJSON is read with DATE_AS_STRING (a text that looks like a date
# stays text).
OGR_TYPES = {"integer": "bigint", "number": "float", "boolean": "boolean"}
OGR_FORMAT_TYPES = {"date-time": "timestamp", "date": "date"}
HASH_BLOCK = 1024 * 1024


class OpenFileError(Exception):
    """ogr2ogr could not write a file (its message is kept for the log and the job)."""


@dataclass(frozen=True)
class Written:
    collection: str
    siren: str
    features: int
    formats: tuple[str, ...]
    changed: bool


def open_files_root() -> Path:
    """Where the open files live: OPEN_DATA_ROOT, by default MEDIA_ROOT/opendata."""
    return Path(getattr(settings, "OPEN_DATA_ROOT", "") or Path(settings.MEDIA_ROOT) / "opendata")


def open_file_path(*, siren: str, collection: str, fmt: str) -> Path:
    return open_files_root() / siren / f"{collection}.{fmt}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    # A text cell a spreadsheet would run as a formula gets an apostrophe.
    return spreadsheet_cell(str(value)) if kind == "string" else str(value)


def _geojson_head(collection: Collection, territory: Territory) -> bytes:
    """The FeatureCollection's start: its name, title, producer and licence as foreign
    members (RFC 7946 §6.1), before the features. No date: the same features give the
    same bytes, so an unchanged dataset is recognised by its checksum."""
    head = {
        "type": "FeatureCollection",
        "name": collection.id,
        "title": str(collection.title),
        "producer": territory.name,
        "producer_siren": territory.siren,
        "licence": {"name": settings.OPEN_DATA_LICENCE, "url": settings.OPEN_DATA_LICENCE_URL},
    }
    return (json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [').encode()


def _utc(value):
    """A date-time as the GeoPackage standard wants it: UTC, with a Z."""
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _gdal_source(collection: Collection, folder: Path) -> Path:
    """What ogr2ogr reads: the GeoJSON, or its copy with the date-times in UTC."""
    name = "gdal.json" if _moments(collection) else "geojson"
    return folder / f"{collection.id}.{name}"


def _moments(collection: Collection) -> list[str]:
    return [f.name for f in collection.dataset.fields if f.format == "date-time"]


def _text_files_write(
    collection: Collection, territory: Territory, folder: Path, base_url: str
) -> int:
    """The GeoJSON and the CSV, in one pass over the features; their count. With
    date-times, a copy of the GeoJSON with them in UTC too, for ogr2ogr."""
    fields = collection.dataset.fields
    moments = _moments(collection)
    count = 0
    with contextlib.ExitStack() as files:
        geojson = files.enter_context((folder / f"{collection.id}.geojson").open("wb"))
        text = (folder / f"{collection.id}.csv").open("w", encoding="utf-8", newline="")
        files.enter_context(text)
        gdal = files.enter_context(_gdal_source(collection, folder).open("wb")) if moments else None
        rows = csv.writer(text)
        rows.writerow([*(f.name for f in fields), WKT_COLUMN])
        for out in filter(None, (geojson, gdal)):
            out.write(_geojson_head(collection, territory))
        for feature in features_all(collection, base_url, territory=territory.siren):
            geojson.write(b"\n" if not count else b",\n")
            geojson.write(json.dumps(feature, ensure_ascii=False).encode())
            values = feature["properties"]
            if gdal is not None:
                utc = {**values, **{name: _utc(values.get(name)) for name in moments}}
                gdal.write(b"\n" if not count else b",\n")
                gdal.write(json.dumps({**feature, "properties": utc}).encode())
            geometry = feature["geometry"]
            wkt = GEOSGeometry(json.dumps(geometry)).wkt if geometry else ""
            rows.writerow([*(_csv_cell(values.get(f.name), f.type) for f in fields), wkt])
            count += 1
        for out in filter(None, (geojson, gdal)):
            out.write(b"\n]}\n")
    return count


def _typed_select(collection: Collection) -> str:
    """OGR SQL selecting each declared field under its own type (a column of nulls or of
    dates would otherwise be read as text); lists stay as read (JSON text)."""
    columns = []
    for field in collection.dataset.fields:
        kind = OGR_FORMAT_TYPES.get(field.format) or OGR_TYPES.get(field.type)
        name = '"{}"'.format(field.name.replace('"', '""'))
        columns.append(f"CAST({name} AS {kind}) AS {name}" if kind else name)
    # Names from the declarations (and a collection id checked by COLLECTION_ID), quoted.
    return f'SELECT {", ".join(columns)} FROM "{collection.id}"'  # noqa: S608


def _ogr2ogr(arguments: list[str]) -> None:
    try:
        ogr2ogr_run(arguments)
    except Ogr2ogrFailed as exc:
        raise OpenFileError(str(exc)) from exc


def _binary_files_write(
    collection: Collection, territory: Territory, folder: Path, flatgeobuf: bool
) -> None:
    source = _gdal_source(collection, folder)
    geopackage = folder / f"{collection.id}.gpkg"
    licence = f"{settings.OPEN_DATA_LICENCE}, {settings.OPEN_DATA_LICENCE_URL}"
    description = f"{collection.title} — {territory.name}. {licence}"
    _ogr2ogr(
        [
            *("-f", "GPKG", str(geopackage), str(source), "-nln", collection.id),
            # Lists as their JSON text (GDAL would write "(2:a,b)"); types from the SQL.
            *("-oo", "ARRAY_AS_STRING=YES", "-oo", "DATE_AS_STRING=YES"),
            *("-t_srs", f"EPSG:{settings.SRID}", "-dialect", "OGRSQL"),
            *("-sql", _typed_select(collection), "-lco", f"DESCRIPTION={description}"),
            *("-mo", f"LICENCE={settings.OPEN_DATA_LICENCE}"),
        ]
    )
    if flatgeobuf:
        # From the GeoPackage: its types, its lists as JSON text (FlatGeobuf has none).
        # FlatGeobuf holds no feature without a geometry: those are left out of it.
        flat = folder / f"{collection.id}.fgb"
        _ogr2ogr(
            [
                *("-f", "FlatGeobuf", str(flat), str(geopackage)),
                *("-t_srs", "EPSG:4326", "-nln", collection.id),
            ]
        )


def _unchanged(
    records: dict[str, OpenFile], formats: Iterable[str], digest: str, siren: str
) -> bool:
    """Whether the files recorded are these formats, on disk as recorded, and the
    GeoJSON's content is the same: then nothing is rewritten."""
    formats = set(formats)
    if set(records) != formats or records["geojson"].sha256 != digest:
        return False
    for fmt, record in records.items():
        path = open_file_path(siren=siren, collection=record.collection, fmt=fmt)
        if not path.is_file() or path.stat().st_size != record.size:
            return False
    return True


def open_files_write(*, collection: Collection, territory: Territory, base_url: str) -> Written:
    """Write (or keep) the open files of one collection in one territory, or remove them
    when it has no public feature there (or its module is switched off there)."""
    if not COLLECTION_ID.fullmatch(collection.id):
        raise OpenFileError(f"{collection.id!r} cannot name a file")
    records = {
        r.format: r for r in OpenFile.objects.filter(territory=territory, collection=collection.id)
    }
    if not collection_open_in(collection, territory):
        _records_remove(territory, collection.id, list(records.values()))
        return Written(collection.id, territory.siren, 0, (), bool(records))
    folder = open_files_root() / territory.siren
    folder.mkdir(parents=True, exist_ok=True)
    with (
        translation.override(settings.LANGUAGE_CODE),
        tempfile.TemporaryDirectory(prefix=".write-", dir=folder) as partial,
    ):
        partial = Path(partial)
        count = _text_files_write(collection, territory, partial, base_url)
        if not count:
            _records_remove(territory, collection.id, list(records.values()))
            return Written(collection.id, territory.siren, 0, (), bool(records))
        formats = ["geojson", "csv", "gpkg"]
        if count >= settings.OPEN_DATA_FLATGEOBUF_FROM:
            formats.append("fgb")
        digest = _sha256(partial / f"{collection.id}.geojson")
        if _unchanged(records, formats, digest, territory.siren):
            return Written(collection.id, territory.siren, count, tuple(formats), False)
        _binary_files_write(collection, territory, partial, "fgb" in formats)
        files = {
            fmt: (
                partial / f"{collection.id}.{fmt}",
                folder / f"{collection.id}.{fmt}",
            )
            for fmt in formats
        }
        sums = {fmt: _sha256(new) for fmt, (new, _) in files.items()}
        sizes = {fmt: new.stat().st_size for fmt, (new, _) in files.items()}
        for new, final in files.values():
            os.replace(new, final)
    _records_store(territory, collection.id, count, sums, sizes, records)
    return Written(collection.id, territory.siren, count, tuple(formats), True)


@transaction.atomic
def _records_store(territory, collection_id, count, sums, sizes, records) -> None:
    now = timezone.now()
    for fmt in sums:
        OpenFile.objects.update_or_create(
            territory=territory,
            collection=collection_id,
            format=fmt,
            defaults={"size": sizes[fmt], "sha256": sums[fmt], "features": count, "modified": now},
        )
    gone = [record for fmt, record in records.items() if fmt not in sums]
    _records_remove(territory, collection_id, gone)


def _records_remove(territory: Territory, collection_id: str, records: list[OpenFile]) -> None:
    with transaction.atomic():
        OpenFile.objects.filter(pk__in=[r.pk for r in records]).delete()
    for record in records:
        open_file_path(siren=territory.siren, collection=collection_id, fmt=record.format).unlink(
            missing_ok=True
        )


def _orphans_remove(kept: set[Path]) -> None:
    """Files of collections or territories that are no more (a module uninstalled, a
    territory deleted): nothing published that the catalogue does not list."""
    root = open_files_root()
    if not root.is_dir():
        return
    # A temporary folder a stopped worker left (a running write's is younger).
    forgotten = timezone.now().timestamp() - 24 * 3600
    for path in root.glob("*/*"):
        if path.is_file() and path not in kept:
            path.unlink(missing_ok=True)
        elif path.name.startswith(".write-") and path.stat().st_mtime < forgotten:
            shutil.rmtree(path, ignore_errors=True)
    for folder in root.iterdir():
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def open_files_refresh(
    *, base_url: str = "", progress: Callable[[int, str], None] | None = None
) -> list[Written]:
    """Every collection's files in every territory, written or kept; the others
    removed. ``progress(percent, message)`` hears where it stands."""
    base_url = base_url or settings.SITE_URL
    territories = list(Territory.objects.order_by("siren"))
    found = collections()
    pairs = [(territory, collection) for territory in territories for collection in found]
    written = []
    for index, (territory, collection) in enumerate(pairs):
        if progress is not None:
            progress(100 * index // max(len(pairs), 1), f"{territory.name}: {collection.id}")
        written.append(
            open_files_write(collection=collection, territory=territory, base_url=base_url)
        )
    names = {(t.pk, c.id) for t, c in pairs}
    stale = [r for r in OpenFile.objects.all() if (r.territory_id, r.collection) not in names]
    with transaction.atomic():
        OpenFile.objects.filter(pk__in=[r.pk for r in stale]).delete()
    kept = {
        open_file_path(siren=r.territory.siren, collection=r.collection, fmt=r.format)
        for r in OpenFile.objects.select_related("territory")
    }
    _orphans_remove(kept)
    return written
