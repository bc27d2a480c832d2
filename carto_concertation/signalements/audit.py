# SPDX-License-Identifier: AGPL-3.0-or-later
"""The staff actions the signalements record in the audit journal (core.audit)."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "signalements.state_changed": _("Report: state changed"),
    "signalements.rerouted": _("Report: sent to another service"),
    "signalements.duplicate": _("Report: marked a duplicate"),
    "signalements.exported": _("Reports exported by an agent"),
}
