# SPDX-License-Identifier: AGPL-3.0-or-later
"""The staff actions the crowdfunding portal records in the audit journal (core.audit).

The figures are recorded when an agent of the territory enters them (typed or read from
the platform's export): the porteur's own updates are a resident's, kept with their
source in FundingUpdate, not staff actions. The clock's openings and closings
(campaigns_advance) have no actor: the project's status says them."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "crowdfunding.accepted": _("Crowdfunding: project accepted"),
    "crowdfunding.refused": _("Crowdfunding: project refused"),
    "crowdfunding.figures_updated": _("Crowdfunding: figures entered or corrected by an agent"),
    "crowdfunding.result_changed": _("Crowdfunding: campaign's result changed by its figures"),
    "crowdfunding.inaugurated": _("Crowdfunding: project marked inaugurated by an agent"),
    "crowdfunding.news_deleted": _("Crowdfunding: news of the works taken back"),
    "crowdfunding.news_published": _("Crowdfunding: a banned author's news published by an agent"),
}

# The role an agent acts in (accounts' planner of the territory).
AGENT_ROLE = "planner"
