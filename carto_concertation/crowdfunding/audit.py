# SPDX-License-Identifier: AGPL-3.0-or-later
"""The staff actions the crowdfunding portal records in the audit journal (core.audit)."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "crowdfunding.accepted": _("Crowdfunding: project accepted"),
    "crowdfunding.refused": _("Crowdfunding: project refused"),
}
