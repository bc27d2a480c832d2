# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reading a platform's export of contributions into a report, line by line: what each
line gave (counted, set aside) or why it is refused, and the totals. Only the amount,
the status, the date and (to count distinct contributors) the contributor's id are read;
nothing of a line outlives the report but its number, its status and its amount."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .layouts import LAYOUTS, Layout, header_key

COUNTED, SET_ASIDE, REFUSED = "counted", "set_aside", "refused"
# One contribution above this is a misread column, not a gift.
AMOUNT_MAX = Decimal(10**9)
DELIMITERS = (";", ",", "\t")

_AMOUNT = re.compile(
    r"^(?P<sign>-)?\s*(?:€|eur|\$|£)?\s*(?P<sign_after>-)?\s*"
    r"(?P<number>\d[\d\s\u00a0\u202f'.,]*?)\s*(?:€|eur|euros?|\$|£)?$",
    re.IGNORECASE,
)
_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_TIME = r"(?:[ T]\d{1,2}[:h]\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:z|[+-]\d{2}:?\d{2})?)?"
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})" + _TIME + "$", re.I)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$", re.I)
_MONTHS = {
    header_key(name): number
    for number, name in enumerate(
        (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ),
        start=1,
    )
}
_TEXT_DATE = re.compile(r"^(\d{1,2})(?:er)?\s+(\S+)\s+(\d{4})" + _TIME + "$", re.I)


@dataclass
class ReportLine:
    line: int
    outcome: str
    status: str = ""
    amount: Decimal | None = None
    field: str = ""
    reason: str = ""

    def as_dict(self) -> dict:
        """The line as the API and the page show it (no contributor in it)."""
        return {
            "line": self.line,
            "outcome": self.outcome,
            "status": self.status,
            "amount": None if self.amount is None else f"{self.amount:.2f}",
            "field": self.field,
            "reason": self.reason,
        }


@dataclass
class ExportReport:
    layout: Layout
    lines: list[ReportLine] = field(default_factory=list)
    total: Decimal = Decimal(0)
    contributors: int = 0

    @property
    def errors(self) -> list[ReportLine]:
        return [line for line in self.lines if line.outcome == REFUSED]

    @property
    def counted(self) -> int:
        return sum(1 for line in self.lines if line.outcome == COUNTED)

    @property
    def set_aside(self) -> int:
        return sum(1 for line in self.lines if line.outcome == SET_ASIDE)

    @property
    def raised(self) -> int:
        """The amount counted in whole euros (the project's figure), to the nearest."""
        return int(self.total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class _LineRefused(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


def _refused(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) first; spreadsheets on Windows save CP1252."""
    if b"\x00" in raw:
        raise _refused(_("This is not a CSV text file."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            raise _refused(_("The file is neither UTF-8 nor Windows-1252 text.")) from None


def parse_amount(text: str, *, comma_groups_thousands: bool) -> Decimal:
    """An amount as exports write it: "1 234,50 €", "25,5", "$1,234.00", "12.5"."""
    match = _AMOUNT.match(text.strip())
    if not match:
        raise _LineRefused("amount", _("“%(text)s” is not an amount.") % {"text": text})
    if match["sign"] or match["sign_after"]:
        raise _LineRefused(
            "amount",
            _("A negative amount: a refund is a line whose status says so, not a minus."),
        )
    number = re.sub(r"[\s\u00a0\u202f']", "", match["number"])
    if "," in number and "." in number:
        decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
        number = number.replace("." if decimal_mark == "," else ",", "")
        number = number.replace(",", ".")
    elif _GROUPED.match(number) and (
        ("," in number and comma_groups_thousands) or number.count(".") > 1
    ):
        number = number.replace(",", "").replace(".", "")
    else:
        number = number.replace(",", ".")
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise _LineRefused("amount", _("“%(text)s” is not an amount.") % {"text": text}) from None
    if amount.as_tuple().exponent < -2:
        raise _LineRefused("amount", _("An amount has at most two decimals (cents)."))
    if amount > AMOUNT_MAX:
        raise _LineRefused("amount", _("This amount is beyond any contribution."))
    return amount


def parse_date(text: str) -> date:
    """A date as French exports write it (03/04/2026, 03/04/26 14:05, 3 avril 2026) or in
    ISO (2026-04-03, 2026-04-03T14:05:00)."""
    value = text.strip()
    try:
        if match := _ISO_DATE.match(value):
            year, month, day = (int(part) for part in match.groups())
        elif match := _NUMERIC_DATE.match(value):
            day, month, year = (int(part) for part in match.groups())
            year += 2000 if year < 100 else 0
        elif (match := _TEXT_DATE.match(value)) and header_key(match[2]) in _MONTHS:
            day, month, year = int(match[1]), _MONTHS[header_key(match[2])], int(match[3])
        else:
            raise ValueError
        read = date(year, month, day)
    except ValueError:
        raise _LineRefused(
            "date", _("“%(text)s” is not a date (day/month/year).") % {"text": text}
        ) from None
    if read > timezone.localdate() + timedelta(days=1):
        raise _LineRefused("date", _("This date is in the future."))
    return read


def _delimiter(header_line: str) -> str:
    """The separator giving the header row the most columns (";" on a tie: French)."""
    widths = {
        delimiter: len(next(csv.reader([header_line], delimiter=delimiter)))
        for delimiter in DELIMITERS
    }
    return max(DELIMITERS, key=lambda delimiter: widths[delimiter])


def _layout(headers: list[str]) -> Layout:
    for layout in LAYOUTS:
        if not layout.missing(headers):
            return layout
    expected = "; ".join(
        _("%(layout)s: %(columns)s")
        % {
            "layout": layout.label,
            "columns": ", ".join(layout.columns[column][0] for column in layout.required),
        }
        for layout in LAYOUTS
    )
    raise _refused(
        _("Line 1: the header row matches no known export (expected %(expected)s).")
        % {"expected": expected}
    )


def _read_line(layout: Layout, cells: dict[str, str]) -> tuple[str, str, Decimal]:
    """(outcome, status as read, amount) of one line, or _LineRefused."""
    status = cells.get("status", "").strip()
    if not status:
        raise _LineRefused("status", _("The status is empty."))
    amount_text = cells.get("amount", "").strip()
    if not amount_text:
        raise _LineRefused("amount", _("The amount is empty."))
    amount = parse_amount(amount_text, comma_groups_thousands=layout.comma_groups_thousands)
    if "date" in layout.required:
        date_text = cells.get("date", "").strip()
        if not date_text:
            raise _LineRefused("date", _("The date is empty."))
        parse_date(date_text)
    outcome = layout.outcomes.get(header_key(status))
    if outcome is not None:
        return outcome, status, amount
    raise _LineRefused(
        "status",
        _("Unknown status “%(status)s” (counted: %(counted)s; set aside: %(set_aside)s).")
        % {
            "status": status,
            "counted": ", ".join(layout.counted),
            "set_aside": ", ".join(layout.set_aside),
        },
    )


def read_export(upload) -> ExportReport:
    """The report of an uploaded export (an UploadedFile). A file that cannot be read as
    a whole (size, encoding, not CSV, no known header, too many lines) is a
    ValidationError on "file"; a bad line is reported with its number and reason."""
    if upload.size > settings.CROWDFUNDING_IMPORT_MAX_BYTES:
        raise _refused(
            _("The file is too large (at most %(max)s kB).")
            % {"max": settings.CROWDFUNDING_IMPORT_MAX_BYTES // 1024}
        )
    text = _decode(upload.read())
    # Old Mac spreadsheets end lines with CR alone, which the csv module refuses.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header_line = next((line for line in text.split("\n") if line.strip()), "")
    if not header_line:
        raise _refused(_("The file is empty."))
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(header_line), strict=True)
    try:
        return _report(reader)
    except csv.Error as error:
        raise _refused(
            _("Line %(line)s: this is not readable CSV (%(error)s).")
            % {"line": reader.line_num, "error": error}
        ) from None


def _report(reader) -> ExportReport:
    headers = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if headers is None:
        raise _refused(_("The file is empty."))
    layout = _layout(headers)
    columns = {index: layout.aliases.get(header_key(name)) for index, name in enumerate(headers)}
    first_index = {}
    for index, column in columns.items():
        if column and column not in first_index:
            first_index[column] = index
    report = ExportReport(layout=layout)
    contributors: set[str] = set()
    anonymous = 0
    line_before = reader.line_num
    for row in reader:
        line, line_before = line_before + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(report.lines) >= settings.CROWDFUNDING_IMPORT_MAX_LINES:
            raise _refused(
                _("Too many lines (at most %(max)s): one import is one campaign's export.")
                % {"max": settings.CROWDFUNDING_IMPORT_MAX_LINES}
            )
        cells = {
            column: row[index] if index < len(row) else "" for column, index in first_index.items()
        }
        try:
            outcome, status, amount = _read_line(layout, cells)
        except _LineRefused as refusal:
            # The column as the file names it (every refused column is a required one).
            column = headers[first_index[refusal.column]].replace("\ufeff", "").strip()
            report.lines.append(
                ReportLine(line=line, outcome=REFUSED, field=column, reason=refusal.reason)
            )
            continue
        report.lines.append(ReportLine(line=line, outcome=outcome, status=status, amount=amount))
        if outcome == COUNTED:
            report.total += amount
            contributor = cells.get("contributor", "").strip()
            if contributor:
                contributors.add(contributor)
            else:
                anonymous += 1
    if not report.lines:
        raise _refused(_("The file holds no contribution, only its header row."))
    # The ids are only counted: the set is dropped with this function.
    report.contributors = len(contributors) + anonymous
    return report
