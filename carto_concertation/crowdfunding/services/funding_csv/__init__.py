# SPDX-License-Identifier: AGPL-3.0-or-later
"""The import of a platform's CSV export of contributions (layouts.py: the exports read;
reading.py: the line-by-line report; imports.py: the all-or-nothing write)."""

from .imports import FundingExportRefused, funding_import
from .layouts import LAYOUTS
from .reading import COUNTED, REFUSED, SET_ASIDE, ExportReport, ReportLine, read_export

__all__ = [
    "COUNTED",
    "LAYOUTS",
    "REFUSED",
    "SET_ASIDE",
    "ExportReport",
    "FundingExportRefused",
    "ReportLine",
    "funding_import",
    "read_export",
]
