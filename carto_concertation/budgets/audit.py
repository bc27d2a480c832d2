# SPDX-License-Identifier: AGPL-3.0-or-later
"""The staff actions a participatory budget records in the audit journal (core.audit)."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "budgets.edition_published": _("Budget: edition published"),
    "budgets.project_decided": _("Budget: project declared admissible or not"),
    "budgets.projects_merged": _("Budget: projects merged"),
    "budgets.ballot_opened": _("Budget: projects put on the ballot"),
    "budgets.results_published": _("Budget: results published"),
    "budgets.exported": _("Budget: ballots exported by staff"),
}
