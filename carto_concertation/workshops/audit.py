# SPDX-License-Identifier: AGPL-3.0-or-later
"""The staff actions the map workshops record in the audit journal (core.audit): a relay
or a planner planning a workshop, changing it, typing in an idea, importing a paper map.

A workshop has no opening or closing of its own (the concertation's capture window rules
when it takes ideas), and nothing a workshop exports names a person (the sheet, the
summary and the offline package carry the ideas, never the participants' pseudonyms):
neither is recorded."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "workshops.created": _("Workshop: planned"),
    "workshops.updated": _("Workshop: changed"),
    "workshops.captured": _("Workshop: idea typed in by its relay"),
    "workshops.paper_imported": _("Workshop: paper map imported"),
}
