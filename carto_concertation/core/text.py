# SPDX-License-Identifier: AGPL-3.0-or-later
"""Texts residents and staff type: stored as typed, escaped once where they are shown.

``vélo & piétons <test>`` is kept as those characters: the templates, the JSON of the
API, the CSV and the bilan's maps escape it for their own format. Escaping on input as
well (``vélo &amp; piétons``) showed the entities to every reader; migration
``contributions.0004_unescape_typed_texts`` gave the stored rows their characters back.
"""

import re

# Control characters but tab and line feed: invisible, and NUL is refused by PostgreSQL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain_text(text: str | None) -> str:
    """The text as typed: line ends as ``\\n``, control characters dropped, the blank
    around it trimmed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


# A cell a spreadsheet would run as a formula starts with one of these (OWASP's "CSV
# injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """The value with a leading apostrophe when it would start a formula: the
    spreadsheet shows it as text."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
