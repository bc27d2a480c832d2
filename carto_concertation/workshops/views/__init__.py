# SPDX-License-Identifier: AGPL-3.0-or-later
"""The relays' pages: their workshops and the form to plan one (pages), a workshop's page
with its tools — paper import, A3 sheet, offline package — and their progress (tools),
the tablet page (capture) and the summary that prints for the mayor (pages)."""

from .capture import capture_map_worker, capture_service_worker, workshop_capture_page
from .pages import workshop_list_page, workshop_page, workshop_summary_page
from .tools import (
    workshop_job_page,
    workshop_offline_package_page,
    workshop_paper_import_page,
    workshop_print_page,
)

__all__ = [
    "capture_map_worker",
    "capture_service_worker",
    "workshop_capture_page",
    "workshop_job_page",
    "workshop_list_page",
    "workshop_offline_package_page",
    "workshop_page",
    "workshop_paper_import_page",
    "workshop_print_page",
    "workshop_summary_page",
]
