# SPDX-License-Identifier: AGPL-3.0-or-later
"""The bytes of a questionnaire's exports, for its organisers.

- CSV: one row per submitted response, a column per question (selectors.exports), for
  French spreadsheets as the house's other CSV exports (``;`` between cells, UTF-8 with
  a byte order mark, text cells that a spreadsheet would run as a formula prefixed with
  ``'``), map answers as WKT in WGS84; produced a block of rows at a time.
- GeoPackage: a layer per map question, one feature per marker, in the storage SRID,
  written by ogr2ogr from the SELECTs of selectors.exports (as the house writes its
  GeoPackages) into a temporary file that is unlinked at once and sent from its handle.
"""

import codecs
import csv
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from wsgiref.util import FileWrapper

from django.conf import settings

from carto_concertation.core.audit import audit_record
from carto_concertation.core.text import spreadsheet_cell
from layers.staging import Ogr2ogrFailed, ogr2ogr_run, pg_connection_string

from ..models import Question, Questionnaire
from ..selectors.exports import (
    LAYER_GEOMETRY,
    AnswerValues,
    ExportColumn,
    ExportRow,
    export_columns,
    export_layer_names,
    export_layer_sql,
    export_map_questions,
    export_rows,
)
from ..selectors.questionnaires import questionnaire_questions

Kind = Question.Kind
FORMATS = ("csv", "gpkg")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "gpkg": "application/geopackage+sqlite3"}
# Bytes per block sent.
CHUNK_BYTES = 256 * 1024
# Several values in one cell (choices, picks, the markers' follow-ups): what joins them.
JOIN = " | "


def export_record(*, questionnaire: Questionnaire, fmt: str) -> None:
    """An organiser's export of the answers in the staff audit journal."""
    audit_record(
        "surveys.exported", questionnaire, territory=questionnaire.territory_id, format=fmt
    )


class ExportError(Exception):
    """ogr2ogr could not write the GeoPackage (its message is kept for the log)."""


class NoMapQuestion(Exception):
    """A GeoPackage of a questionnaire without a map question would hold nothing."""


def export_filename(*, questionnaire: Questionnaire, fmt: str) -> str:
    return f"{questionnaire.slug}-reponses.{fmt}"


def _number(value) -> str:
    """A decimal as typed: 3, 12.5 (the model keeps four decimals: 3.0000)."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def _value(question: Question, values: AnswerValues) -> str:
    kind = question.kind
    if kind in Question.CHOICE_KINDS:
        return spreadsheet_cell(JOIN.join(values.choices))
    if kind in Question.TEXT_KINDS:
        return spreadsheet_cell(values.text)
    if kind in (Kind.SCALE, Kind.NUMBER):
        return _number(values.number)
    if kind == Kind.DATE:
        return values.date.isoformat() if values.date else ""
    if kind in Question.PICK_KINDS:
        return spreadsheet_cell(JOIN.join(values.picks))
    return values.wkt


def _markers(texts: list[str]) -> str:
    """The markers' follow-ups or comments in the markers' order (the n-th for the n-th
    marker, blank where it has none); nothing when none has one."""
    return spreadsheet_cell(JOIN.join(texts)) if any(texts) else ""


def _cell(column: ExportColumn, row: ExportRow) -> str | int:
    question = column.question
    if question is None:
        return {
            "response": row.number,
            "channel": row.channel,
            "submitted_on": row.submitted_on.isoformat(),
        }[column.name]
    values = row.answers.get(question.pk)
    if values is None:  # not answered, or not asked (a condition)
        return ""
    if column.part == "other":
        return spreadsheet_cell(values.text)
    if column.part == "followup":
        return _markers(values.followups)
    if column.part == "comment":
        return _markers(values.comments)
    return _value(question, values)


def csv_chunks(*, questionnaire: Questionnaire) -> Iterator[bytes]:
    """The CSV, a block of rows at a time: the BOM, the column names, then a line a
    submitted response."""
    columns = export_columns(questionnaire_questions(questionnaire))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    yield codecs.BOM_UTF8
    writer.writerow(column.name for column in columns)
    for row in export_rows(questionnaire):
        writer.writerow(_cell(column, row) for column in columns)
        if buffer.tell() > CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def geopackage_write(*, questionnaire: Questionnaire, path: Path) -> None:
    """A layer per map question, named by its code and described by its label: one
    feature per marker (a point, a line, an area, a picked zone or commune) with the
    response's number, the marker's rank, its follow-up choice and comment. In the
    storage SRID (Lambert-93 by default), as stored. Raises NoMapQuestion, ExportError."""
    questions = export_map_questions(questionnaire)
    if not questions:
        raise NoMapQuestion
    pg, pg_env = pg_connection_string()
    layers = zip(export_layer_names(questions), questions, strict=True)
    for number, (name, question) in enumerate(layers):
        command = ["-f", "GPKG", str(path), pg, "-sql"]
        command += [export_layer_sql(question=question), "-nln", name]
        command += ["-nlt", LAYER_GEOMETRY[question.kind], "-a_srs", f"EPSG:{settings.SRID}"]
        command += ["-lco", f"DESCRIPTION={question.label}"]
        if number:
            command.append("-update")
        try:
            ogr2ogr_run(command, pg_env)
        except Ogr2ogrFailed as exc:
            raise ExportError(str(exc)) from exc


def geopackage_chunks(*, questionnaire: Questionnaire) -> FileWrapper:
    """The GeoPackage, built in a temporary file that is unlinked at once: the open
    file is all that remains, and closing it (end of the response) frees the disk."""
    with tempfile.TemporaryDirectory(prefix="survey-export-") as folder:
        path = Path(folder) / "export.gpkg"
        geopackage_write(questionnaire=questionnaire, path=path)
        file = path.open("rb")
    return FileWrapper(file, CHUNK_BYTES)


def export_chunks(*, questionnaire: Questionnaire, fmt: str) -> Iterator[bytes]:
    """The export's bytes. A GeoPackage is written before the first block (raises
    NoMapQuestion, ExportError then); a CSV is made as it is read."""
    if fmt == "gpkg":
        return geopackage_chunks(questionnaire=questionnaire)
    return csv_chunks(questionnaire=questionnaire)


def export_write(*, questionnaire: Questionnaire, fmt: str, path: Path) -> int:
    """Write an export to ``path`` (the command line's way), all or nothing: into a
    temporary file beside it, renamed over it once complete. Returns its size in bytes.
    Raises OSError when the folder cannot be written to, NoMapQuestion, ExportError."""
    with tempfile.TemporaryDirectory(prefix=".survey-export-", dir=path.parent) as folder:
        partial = Path(folder) / path.name
        if fmt == "gpkg":
            geopackage_write(questionnaire=questionnaire, path=partial)
        else:
            with partial.open("wb") as file:
                for chunk in csv_chunks(questionnaire=questionnaire):
                    file.write(chunk)
        os.replace(partial, path)
    return path.stat().st_size
