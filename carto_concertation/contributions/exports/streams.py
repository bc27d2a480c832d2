# SPDX-License-Identifier: AGPL-3.0-or-later
"""The bytes of an export, produced a bounded chunk at a time whatever the row count.

GeoJSON comes from a server-side cursor read CHUNK_ROWS at a time, CSV from
PostgreSQL's COPY (which also does the quoting), the GeoPackage from ogr2ogr into a
temporary file read back in blocks. Under ASGI the same chunks are handed over one by one
through a worker thread (``ThreadedChunks``): Django would otherwise read a synchronous
iterator to its end before sending the first byte.
"""

import codecs
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from wsgiref.util import FileWrapper

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.gis.gdal import SpatialReference
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.core.audit import audit_record
from layers.staging import Ogr2ogrFailed, ogr2ogr_run, pg_connection_string

from .selectors import (
    CSV_CRS,
    CSV_TYPES,
    GEOMETRY_LAYERS,
    export_csv_sql,
    export_geojson_features_sql,
    export_layer_sql,
    export_zoning_sql,
    whole_result_cursor,
)
from .spreadsheets import WRITERS as SPREADSHEETS
from .spreadsheets import spreadsheet_chunks

FORMATS = ("geojson", "csv", "gpkg", "xlsx", "ods")
CONTENT_TYPES = {
    "geojson": "application/geo+json",
    "csv": "text/csv; charset=utf-8",
    "gpkg": "application/geopackage+sqlite3",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# Rows per fetch from the server-side cursor, and bytes per chunk sent: what one
# export holds in memory at a time.
CHUNK_ROWS = 2000
CHUNK_BYTES = 256 * 1024
# Lambert-93: what QGIS users of a French intercommunalité work in.
GPKG_SRID = 2154


def staff_export_record(*, concertation: Concertation, user, fmt: str) -> None:
    """A planner's export in the staff audit journal. The file is open data, downloaded
    by anyone: only the exports of those who plan the concertation are recorded."""
    if user.is_authenticated and user.has_perm("contributions.plan", concertation):
        audit_record(
            "ideas.exported",
            concertation,
            actor=user,
            territory=concertation.territory_id,
            format=fmt,
        )


class ExportError(Exception):
    """ogr2ogr could not write the GeoPackage (its message is kept for the log)."""


def export_filename(*, concertation: Concertation, fmt: str) -> str:
    return f"{concertation.slug}-contributions.{fmt}"


def _metadata(concertation: Concertation) -> dict:
    return {
        "title": concertation.title,
        "producer": concertation.territory.name,
        "licence": {"name": settings.OPEN_DATA_LICENCE, "url": settings.OPEN_DATA_LICENCE_URL},
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }


def geojson_chunks(*, concertation: Concertation) -> Iterator[bytes]:
    """An RFC 7946 FeatureCollection; the licence and the producer as foreign members
    (RFC 7946 §6.1), before the features so that a reader meets them first."""
    head = {"type": "FeatureCollection", "name": concertation.slug, **_metadata(concertation)}
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [').encode()
    sql, params = export_geojson_features_sql(concertation_id=concertation.pk)
    # A cursor WITHOUT HOLD inside a transaction: rows are computed as they are fetched
    # (a holdable one would be materialised on the server before the first fetch).
    with whole_result_cursor() as cursor:
        cursor.execute(sql, params)
        separator = "\n"
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield (separator + ",\n".join(row[0] for row in rows)).encode()
            separator = ",\n"
    yield b"\n]}\n"


def csv_chunks(*, concertation: Concertation) -> Iterator[bytes]:
    """`;`-separated, UTF-8 with a byte order mark (Excel in French opens it as is),
    the CRS (``crs``) then the geometry as WKT in WGS84 in the last two columns. INSEE
    codes are always quoted: text for GDAL's QUOTED_FIELDS_AS_STRING, whatever the
    type detection (01053 stays 01053)."""
    yield codecs.BOM_UTF8
    sql = export_csv_sql(concertation_id=concertation.pk)
    connection.ensure_connection()
    statement = (
        f"COPY ({sql}) TO STDOUT WITH "
        "(FORMAT csv, DELIMITER ';', HEADER, FORCE_QUOTE (commune_insee))"
    )
    with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
        buffer = bytearray()
        for data in copy:
            buffer += data
            if len(buffer) >= CHUNK_BYTES:
                yield bytes(buffer)
                buffer.clear()
        yield bytes(buffer)


def csv_sidecars_write(path: Path) -> None:
    """The ``.csvt`` (column types) and ``.prj`` (CRS) that GDAL and QGIS read beside a
    CSV of the same name: INSEE codes as text, dates as dates, the WKT as geometry in
    WGS84."""
    path.with_suffix(".csvt").write_text(",".join(CSV_TYPES) + "\n", encoding="ascii")
    path.with_suffix(".prj").write_text(SpatialReference(CSV_CRS).wkt, encoding="ascii")


def geopackage_write(*, concertation: Concertation, path: Path) -> None:
    """One layer of contributions per geometry type (``contributions_points``,
    ``contributions_lines``, ``contributions_polygons``: a shapefile holds one type) and
    ``zonage`` (the current zoning of the concertation's PLU/PLUi), in Lambert-93, each
    described with the licence, dates as dates: ready for QGIS and ogr2ogr."""
    pg, pg_env = pg_connection_string()
    names = {
        "title": concertation.title,
        "producer": concertation.territory.name,
        "licence": settings.OPEN_DATA_LICENCE,
        "url": settings.OPEN_DATA_LICENCE_URL,
    }
    contributions = _("Contributions to %(title)s (%(producer)s). %(licence)s, %(url)s") % names
    layers = [
        (
            name,
            geometry_type,
            export_layer_sql(concertation_id=concertation.pk, srid=GPKG_SRID, dimension=dimension),
            contributions,
        )
        for name, geometry_type, dimension in GEOMETRY_LAYERS
    ]
    document = concertation.plui_document
    if document is not None and document.current_version_id is not None:
        zoning = _("Current zoning (zone_urba) of %(document)s. %(licence)s, %(url)s") % {
            **names,
            "document": document.idurba,
        }
        sql = export_zoning_sql(version_id=document.current_version_id, srid=GPKG_SRID)
        layers.append(("zonage", "MULTIPOLYGON", sql, zoning))
    for number, (name, geometry_type, sql, description) in enumerate(layers):
        command = ["-f", "GPKG", str(path), pg, "-sql", sql, "-nln", name]
        command += ["-nlt", geometry_type, "-a_srs", f"EPSG:{GPKG_SRID}"]
        command += [
            "-lco",
            f"DESCRIPTION={description}",
            "-mo",
            f"LICENCE={settings.OPEN_DATA_LICENCE}",
        ]
        if number:
            command.append("-update")
        try:
            ogr2ogr_run(command, pg_env)
        except Ogr2ogrFailed as exc:
            raise ExportError(str(exc)) from exc


def geopackage_chunks(*, concertation: Concertation) -> FileWrapper:
    """The GeoPackage, built in a temporary file that is unlinked at once: the open
    file is all that remains, and closing it (end of the response) frees the disk."""
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        path = Path(folder) / "export.gpkg"
        geopackage_write(concertation=concertation, path=path)
        file = path.open("rb")
    return FileWrapper(file, CHUNK_BYTES)


def export_chunks(*, concertation: Concertation, fmt: str) -> Iterator[bytes]:
    if fmt in SPREADSHEETS:
        return spreadsheet_chunks(concertation=concertation, fmt=fmt)
    producer = {"geojson": geojson_chunks, "csv": csv_chunks, "gpkg": geopackage_chunks}[fmt]
    return producer(concertation=concertation)


class ThreadedChunks:
    """A synchronous chunk iterator served to an ASGI server as an asynchronous one:
    each chunk is produced in Django's thread for this request (its database
    connection, its open cursor) and sent before the next is asked for."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = iter(chunks)
        self._next = sync_to_async(next, thread_sensitive=True)

    def __aiter__(self) -> "ThreadedChunks":
        return self

    async def __anext__(self) -> bytes:
        chunk = await self._next(self._chunks, None)
        if chunk is None:
            raise StopAsyncIteration
        return chunk

    def close(self) -> None:
        """Django calls it when the response ends, sent or not (closes the cursor or file)."""
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


def export_write(*, concertation: Concertation, fmt: str, path: Path) -> int:
    """Write an export to ``path`` (the command line's way), all or nothing: into a
    temporary file beside it, renamed over it once complete; a CSV comes with its
    ``.csvt`` and ``.prj`` (csv_sidecars_write). Returns its size in bytes. Raises
    OSError when the folder cannot be written to."""
    with tempfile.TemporaryDirectory(prefix=".export-", dir=path.parent) as folder:
        partial = Path(folder) / path.name
        if fmt == "gpkg":
            geopackage_write(concertation=concertation, path=partial)
        elif fmt in SPREADSHEETS:
            SPREADSHEETS[fmt](concertation=concertation, path=partial)
        else:
            with partial.open("wb") as file:
                for chunk in export_chunks(concertation=concertation, fmt=fmt):
                    file.write(chunk)
            if fmt == "csv":
                csv_sidecars_write(partial)
                for sidecar in (".csvt", ".prj"):
                    os.replace(partial.with_suffix(sidecar), path.with_suffix(sidecar))
        os.replace(partial, path)
    return path.stat().st_size
