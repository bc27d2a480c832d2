# SPDX-License-Identifier: AGPL-3.0-or-later
"""Importing a platform's export: all its lines or none. The totals it gives become the
project's figures through ``figures_update`` (its rules hold: a lower total needs the
reason given with the upload); the import keeps its layout and its counts, never a line."""

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ...models import FundingImport, Project
from ...permissions import may_manage
from ..campaign import figures_update
from .reading import ExportReport, read_export


class FundingExportRefused(ValidationError):
    """Some lines of the export are refused: nothing was written; ``report`` names them."""

    def __init__(self, report: ExportReport) -> None:
        refused = report.errors
        super().__init__(
            {
                "file": _("Nothing was imported: %(count)s line(s) refused, first line %(line)s.")
                % {"count": len(refused), "line": refused[0].line}
            }
        )
        self.report = report


def funding_import(
    *, user, project: Project, upload, correction_reason: str = ""
) -> tuple[FundingImport, ExportReport]:
    """Read ``upload`` (the platform's CSV export) and record its totals as the figures of
    ``project``, by its porteur or an agent. FundingExportRefused when a line is refused;
    ValidationError when the file cannot be read or the figures are refused."""
    if user is None or not may_manage(user, project):
        raise PermissionDenied(_("Only the porteur or the territory's agents import the figures."))
    report = read_export(upload)
    if report.errors:
        raise FundingExportRefused(report)
    with transaction.atomic():
        record = FundingImport.objects.create(
            project=project,
            file_name=os.path.basename(upload.name or "")[:255],
            layout=report.layout.name,
            lines=len(report.lines),
            counted=report.counted,
            set_aside=report.set_aside,
            imported_by=user,
        )
        figures_update(
            user=user,
            project=project,
            raised=report.raised,
            contributors=report.contributors,
            correction_reason=correction_reason,
            funding_import=record,
        )
    return record, report
