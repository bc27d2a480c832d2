# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may act on a report: the agents of the service it is routed to, and the
administrators. Registered as ``signalements.<action>`` from the manifest."""

import rules

from carto_concertation.accounts.rules import is_administrator


@rules.predicate
def is_agent_of_report_service(user, report) -> bool:
    """An agent of the service the report is routed to now (its routing decides)."""
    if report is None or report.service_id is None or not user.is_authenticated:
        return False
    return report.service.members.filter(pk=user.pk).exists()


@rules.predicate
def is_agent_somewhere(user) -> bool:
    return user.is_authenticated and user.report_services.exists()


PERMISSIONS = {
    # Change a report's state, re-route it, mark it a duplicate.
    "act": is_administrator | is_agent_of_report_service,
    # Reach the services' dashboard at all.
    "work": is_administrator | is_agent_somewhere,
}
