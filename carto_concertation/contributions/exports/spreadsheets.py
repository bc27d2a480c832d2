# SPDX-License-Identifier: AGPL-3.0-or-later
"""The export as a spreadsheet, XLSX (Excel) or ODS (LibreOffice): the CSV's public
columns under their French labels (datasets.IDEAS), statuses and channels spelt out,
dates in local time (Europe/Paris, dd/mm/yyyy HH:MM) as real dates. Written row by row
into a temporary file (openpyxl's write-only mode, odfpy's tree of one sheet), then sent
in blocks like the GeoPackage."""

import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from wsgiref.util import FileWrapper
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation

from ..datasets import IDEAS
from ..models import Contribution
from .selectors import ATTRIBUTES, export_spreadsheet_sql, whole_result_cursor

LOCAL = ZoneInfo("Europe/Paris")
DATE_FORMAT = "DD/MM/YYYY HH:MM"
DATES = {"answered_at", "created_at"}
CHUNK_ROWS = 2000
CHUNK_BYTES = 256 * 1024
WIDTHS = {"title": 40, "text": 60, "answer": 60, "created_at": 17, "answered_at": 17}


def spreadsheet_headers() -> list[str]:
    """The columns' labels in the active language, first letter capitalised."""
    labels = {field.name: str(field.label) for field in IDEAS.fields}
    headers = [labels[name] for name in ATTRIBUTES] + [_("geometry (WKT, WGS84)")]
    return [header[:1].upper() + header[1:] for header in headers]


def spreadsheet_rows(*, concertation: Concertation) -> Iterator[list]:
    """Each public idea as a list of cell values: local naive datetimes for dates,
    labels for statuses and channels."""
    statuses, channels = dict(Contribution.Status.choices), dict(Contribution.Channel.choices)
    position = {name: n for n, name in enumerate(ATTRIBUTES)}
    sql, params = export_spreadsheet_sql(concertation_id=concertation.pk)
    with whole_result_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            for row in rows:
                values = list(row)
                for name in DATES:
                    text = values[position[name]]
                    values[position[name]] = (
                        datetime.fromisoformat(text).astimezone(LOCAL).replace(tzinfo=None)
                        if text
                        else None
                    )
                values[position["status"]] = str(statuses.get(values[position["status"]], ""))
                values[position["channel"]] = str(channels.get(values[position["channel"]], ""))
                yield [float(v) if type(v).__name__ == "Decimal" else v for v in values]


def xlsx_write(*, concertation: Concertation, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Contributions")[:31])
    # The header stays in view; the long text columns are wide enough to read.
    sheet.freeze_panes = "A2"
    for column, width in WIDTHS.items():
        sheet.column_dimensions[get_column_letter(ATTRIBUTES.index(column) + 1)].width = width
    bold = Font(bold=True)
    header = []
    for label in spreadsheet_headers():
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for values in spreadsheet_rows(concertation=concertation):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, str):
                # Never a formula, whatever the text starts with.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    book.save(path)


def ods_write(*, concertation: Concertation, path: Path) -> None:
    from odf.number import DateStyle, Day, Hours, Minutes, Month, Year
    from odf.number import Text as NumberText
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TextProperties
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    local_date = DateStyle(name="local-date")
    for part in (
        Day(style="long"),
        NumberText(text="/"),
        Month(style="long"),
        NumberText(text="/"),
        Year(style="long"),
        NumberText(text=" "),
        Hours(style="long"),
        NumberText(text=":"),
        Minutes(style="long"),
    ):
        local_date.addElement(part)
    document.automaticstyles.addElement(local_date)
    date_cell = Style(name="date-cell", family="table-cell", datastylename="local-date")
    document.automaticstyles.addElement(date_cell)
    bold = Style(name="header-cell", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)

    table = Table(name=_("Contributions"))
    row = TableRow()
    for label in spreadsheet_headers():
        cell = TableCell(valuetype="string", stylename=bold)
        cell.addElement(P(text=label))
        row.addElement(cell)
    table.addElement(row)
    for values in spreadsheet_rows(concertation=concertation):
        row = TableRow()
        for value in values:
            if value is None:
                cell = TableCell()
            elif isinstance(value, datetime):
                cell = TableCell(
                    valuetype="date",
                    datevalue=value.isoformat(timespec="seconds"),
                    stylename=date_cell,
                )
                cell.addElement(P(text=value.strftime("%d/%m/%Y %H:%M")))
            elif isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(path))


WRITERS = {"xlsx": xlsx_write, "ods": ods_write}


def spreadsheet_chunks(*, concertation: Concertation, fmt: str) -> FileWrapper:
    """The file, built in a temporary folder removed at once: the open file is what
    remains, and closing it at the end of the response frees the disk."""
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        path = Path(folder) / f"export.{fmt}"
        WRITERS[fmt](concertation=concertation, path=path)
        file = path.open("rb")
    return FileWrapper(file, CHUNK_BYTES)
