# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Pabulib ``.pb`` format (pabulib.org/format): read a file into an election, write one.

A ``.pb`` file has three ``;``-separated sections: ``META`` (key;value), ``PROJECTS`` and
``VOTES`` (a header row, then one row per project or voter). ``parse`` refuses what
Pabulib's checker refuses, naming the 1-based line and the reason; it takes real files as
other tools write them (byte order mark, CRLF, a trailing ``;``, quoted fields, blank lines).
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .counting import Ballot, Election, Project

SECTIONS = ("META", "PROJECTS", "VOTES")
VOTE_TYPES = ("approval", "cumulative", "ordinal")
REQUIRED_META = ("budget", "vote_type", "num_projects", "num_votes")
# Ballot limits that must be whole numbers when given.
INTEGER_META = ("min_length", "max_length", "max_points", "min_sum_points", "max_sum_points")
# Amounts above this are no participatory budget's (and would not fit the database).
MAX_AMOUNT = 10**15
MAX_POINTS = 32767


class PabulibError(ValueError):
    """A file that does not parse: the line (1-based) and the reason."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(_("line %(line)s: %(reason)s") % {"line": line, "reason": reason})
        self.line = line
        self.reason = reason


@dataclass
class PabulibFile:
    meta: dict[str, str]
    # Each project's row and each voter's row, by column name, in file order.
    projects: list[dict[str, str]]
    votes: list[dict[str, str]]
    # The 1-based line of each META key, project row and vote row (for the messages).
    lines: dict[str, list[int] | dict[str, int]] = field(default_factory=dict, compare=False)

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval")

    def election(self) -> Election:
        """The election the file describes (budget, project costs, ballots)."""
        projects = tuple(
            Project(id=row["project_id"], cost=int(number(row["cost"])), name=row.get("name", ""))
            for row in self.projects
        )
        ballots = []
        for row in self.votes:
            chosen = split_list(row.get("vote", ""))
            points = None
            if self.vote_type == "cumulative":
                points = tuple(int(p) for p in split_list(row.get("points", "")))
            ballots.append(Ballot(projects=chosen, points=points))
        return Election(
            budget=int(number(self.meta["budget"])),
            projects=projects,
            ballots=tuple(ballots),
            vote_type=self.vote_type,
            meta=dict(self.meta),
        )


def number(text: str) -> Decimal:
    """A number as Pabulib writes it (``1000``, ``1000.0``, ``1000,5``); raises ValueError."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None
    # No amount or count of a budget has 30 digits: beyond, a number is refused before
    # its conversion to an integer (or its message) costs anything.
    if not value.is_finite() or value.adjusted() > 30:
        raise ValueError(text)
    return value


def split_list(text: str) -> tuple[str, ...]:
    """A comma-separated list of a vote row (projects or points), empty items dropped."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PabulibError(
            line,
            _("the file is not UTF-8 (byte %(byte)s)") % {"byte": f"0x{data[error.start]:02x}"},
        ) from None


def _cells(line: str) -> list[str]:
    """One line's fields, stripped; the empty fields a trailing ``;`` leaves are dropped."""
    row = [cell.strip() for cell in next(csv.reader([line], delimiter=";"), [])]
    while row and not row[-1]:
        row.pop()
    return row


def parse(data: str | bytes) -> PabulibFile:
    """Read a ``.pb`` file (its text or bytes); ``PabulibError`` names the line and the reason."""
    text = _decode(data).removeprefix("\ufeff")
    if "\x00" in text:
        # PostgreSQL's text holds no NUL: refused here rather than failing on the write.
        raise PabulibError(
            text[: text.index("\x00")].count("\n") + 1, _("the file holds a NUL byte")
        )
    section: str | None = None
    header: list[str] | None = None
    starts: dict[str, int] = {}
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    tables: dict[str, list[dict[str, str]]] = {"PROJECTS": [], "VOTES": []}
    rows_lines: dict[str, list[int]] = {"PROJECTS": [], "VOTES": []}
    headers: dict[str, list[str]] = {}
    last = 0
    for line_no, line in enumerate(text.splitlines(), start=1):
        row = _cells(line)
        if not row:
            continue
        last = line_no
        if len(row) == 1 and row[0].upper() in SECTIONS:
            name = row[0].upper()
            expected = SECTIONS[len(starts)] if len(starts) < len(SECTIONS) else None
            if name != expected:
                raise PabulibError(
                    line_no,
                    _("section %(found)s where %(expected)s was expected")
                    % {"found": name, "expected": expected or _("the end of the file")},
                )
            if section is not None and header is None:
                raise PabulibError(
                    line_no, _("the %(section)s section has no header") % {"section": section}
                )
            section, header = name, None
            starts[name] = line_no
            continue
        if section is None:
            raise PabulibError(line_no, _("the file must start with a META section"))
        if header is None:
            header = _header(section, row, line_no)
            headers[section] = header
            continue
        if len(row) > len(header) or (section == "META" and len(row) != 2):
            raise PabulibError(
                line_no,
                _("%(count)s fields where the header has %(expected)s")
                % {"count": len(row), "expected": len(header)},
            )
        if section == "META":
            if row[0] in meta:
                raise PabulibError(
                    line_no, _("the META key %(key)s is given twice") % {"key": row[0]}
                )
            meta[row[0]], meta_lines[row[0]] = row[1], line_no
        else:
            # Missing trailing fields are empty values (Pabulib writes "None" for them too).
            values = row + [""] * (len(header) - len(row))
            tables[section].append(dict(zip(header, values, strict=True)))
            rows_lines[section].append(line_no)
    end = last + 1
    for name in SECTIONS:
        if name not in starts:
            raise PabulibError(end, _("the %(section)s section is missing") % {"section": name})
    if header is None:
        raise PabulibError(end, _("the %(section)s section has no header") % {"section": section})
    pb = PabulibFile(
        meta=meta,
        projects=tables["PROJECTS"],
        votes=tables["VOTES"],
        lines={
            "meta": meta_lines,
            "projects": rows_lines["PROJECTS"],
            "votes": rows_lines["VOTES"],
        },
    )
    _check_meta(pb, starts["META"])
    _check_projects(pb)
    _check_votes(pb)
    return pb


def _header(section: str, row: list[str], line_no: int) -> list[str]:
    if len(set(row)) != len(row):
        raise PabulibError(line_no, _("the header names a column twice"))
    needed = {
        "META": ("key", "value"),
        "PROJECTS": ("project_id", "cost"),
        "VOTES": ("voter_id", "vote"),
    }
    for column in needed[section]:
        if column not in row:
            raise PabulibError(
                line_no,
                _("the %(section)s header lacks the column %(column)s")
                % {"section": section, "column": column},
            )
    return row


def _meta_integer(pb: PabulibFile, key: str, *, minimum: int) -> int | None:
    if key not in pb.meta:
        return None
    line = pb.lines["meta"][key]
    try:
        value = number(pb.meta[key])
    except ValueError:
        raise PabulibError(line, _("%(key)s must be a number") % {"key": key}) from None
    if value != value.to_integral_value() or value < minimum:
        raise PabulibError(
            line,
            _("%(key)s must be a whole number of at least %(min)s") % {"key": key, "min": minimum},
        )
    return int(value)


def _check_meta(pb: PabulibFile, meta_line: int) -> None:
    for key in REQUIRED_META:
        if key not in pb.meta:
            raise PabulibError(
                meta_line, _("the META section lacks the key %(key)s") % {"key": key}
            )
    line = pb.lines["meta"]
    try:
        budget = number(pb.meta["budget"])
    except ValueError:
        raise PabulibError(line["budget"], _("the budget must be a number")) from None
    if budget <= 0:
        raise PabulibError(line["budget"], _("the budget must be positive"))
    if budget > MAX_AMOUNT:
        raise PabulibError(line["budget"], _("the budget is too large"))
    if pb.vote_type not in VOTE_TYPES:
        raise PabulibError(
            line["vote_type"],
            _("unknown vote_type %(type)s: expected approval, cumulative or ordinal")
            % {"type": pb.vote_type},
        )
    for key in INTEGER_META:
        _meta_integer(pb, key, minimum=0)
    low, high = (
        _meta_integer(pb, "min_length", minimum=0),
        _meta_integer(pb, "max_length", minimum=0),
    )
    if low is not None and high is not None and high < low:
        raise PabulibError(line["max_length"], _("max_length is less than min_length"))
    counts = {"num_projects": len(pb.projects), "num_votes": len(pb.votes)}
    for key, actual in counts.items():
        stated = _meta_integer(pb, key, minimum=0)
        if stated != actual:
            raise PabulibError(
                line[key],
                _("%(key)s says %(stated)s but the file has %(actual)s")
                % {"key": key, "stated": stated, "actual": actual},
            )


def _check_projects(pb: PabulibFile) -> None:
    seen: set[str] = set()
    for row, line in zip(pb.projects, pb.lines["projects"], strict=True):
        project_id = row["project_id"]
        if not project_id:
            raise PabulibError(line, _("the project has no project_id"))
        if project_id in seen:
            raise PabulibError(line, _("the project id %(id)s is given twice") % {"id": project_id})
        seen.add(project_id)
        try:
            cost = number(row["cost"])
        except ValueError:
            raise PabulibError(line, _("the cost must be a number")) from None
        if cost <= 0:
            raise PabulibError(line, _("the cost must be positive"))
        if cost > MAX_AMOUNT:
            raise PabulibError(line, _("the cost is too large"))


def _limit(pb: PabulibFile, key: str) -> int | None:
    return int(number(pb.meta[key])) if key in pb.meta else None


def _check_votes(pb: PabulibFile) -> None:
    known = {row["project_id"] for row in pb.projects}
    cumulative = pb.vote_type == "cumulative"
    min_length, max_length = _limit(pb, "min_length"), _limit(pb, "max_length")
    max_points, max_sum = _limit(pb, "max_points"), _limit(pb, "max_sum_points")
    min_sum = _limit(pb, "min_sum_points")
    voters: set[str] = set()
    for row, line in zip(pb.votes, pb.lines["votes"], strict=True):
        voter = row["voter_id"]
        if not voter:
            raise PabulibError(line, _("the vote has no voter_id"))
        if voter in voters:
            raise PabulibError(line, _("the voter id %(id)s is given twice") % {"id": voter})
        voters.add(voter)
        chosen = split_list(row["vote"])
        for project_id in chosen:
            if project_id not in known:
                raise PabulibError(
                    line, _("the vote names an unknown project %(id)s") % {"id": project_id}
                )
        if len(set(chosen)) != len(chosen):
            raise PabulibError(line, _("the vote names a project twice"))
        if min_length is not None and len(chosen) < min_length:
            raise PabulibError(
                line, _("the vote holds %(n)s projects, fewer than min_length") % {"n": len(chosen)}
            )
        if max_length is not None and len(chosen) > max_length:
            raise PabulibError(
                line, _("the vote holds %(n)s projects, more than max_length") % {"n": len(chosen)}
            )
        if cumulative:
            _check_points(row, line, len(chosen), max_points, min_sum, max_sum)


def _check_points(
    row: dict[str, str],
    line: int,
    count: int,
    max_points: int | None,
    min_sum: int | None,
    max_sum: int | None,
) -> None:
    if "points" not in row:
        raise PabulibError(line, _("a cumulative vote needs a points column"))
    points = split_list(row["points"])
    if len(points) != count:
        raise PabulibError(
            line,
            _("%(points)s points for %(votes)s projects") % {"points": len(points), "votes": count},
        )
    if not all(p.isascii() and p.isdigit() for p in points):
        raise PabulibError(line, _("the points must be whole numbers"))
    if any(len(p) > len(str(MAX_POINTS)) or int(p) > MAX_POINTS for p in points):
        raise PabulibError(line, _("the points are too large"))
    values = [int(p) for p in points]
    if max_points is not None and any(p > max_points for p in values):
        raise PabulibError(line, _("a project gets more than max_points"))
    if max_sum is not None and sum(values) > max_sum:
        raise PabulibError(line, _("the points add up to more than max_sum_points"))
    if min_sum is not None and sum(values) < min_sum:
        raise PabulibError(line, _("the points add up to less than min_sum_points"))


def write(pb: PabulibFile) -> str:
    """The ``.pb`` text of ``pb``: META, PROJECTS and VOTES, columns in the rows' order."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")

    def clean(value: object) -> str:
        # One record per line: a line break inside a name would split the record.
        return " ".join(str(value).splitlines())

    def table(name: str, rows: list[dict[str, str]], first: tuple[str, ...]) -> None:
        columns = list(first)
        for row in rows:
            columns += [key for key in row if key not in columns]
        writer.writerow([name])
        writer.writerow(columns)
        for row in rows:
            writer.writerow([clean(row.get(column, "")) for column in columns])

    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in pb.meta.items():
        writer.writerow([key, clean(value)])
    table("PROJECTS", pb.projects, ("project_id", "cost"))
    table("VOTES", pb.votes, ("voter_id", "vote"))
    return out.getvalue()
