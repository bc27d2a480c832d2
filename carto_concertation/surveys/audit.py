# SPDX-License-Identifier: AGPL-3.0-or-later
"""The staff actions the consultation records in the audit journal (core.audit)."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "surveys.exported": _("Consultation: answers exported"),
}
