# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads of the agent's page of a report: the report (only for the agents of its service
and the administrators), its answers under their questions, and its history with the
agents' names, which only the services read."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from carto_concertation.territories.selectors import module_on

from ..manifest import SIGNALEMENTS
from ..models import Report, ReportUpdate
from .queue import with_deadline


def report_for_agent(*, user, pk: int) -> Report:
    """The report, or 404 (also where the module is off); 403 for anyone but the agents
    of its service and the administrators (``signalements.act``)."""
    report = get_object_or_404(
        with_deadline(Report.objects.filter(module_on(SIGNALEMENTS.name)))
        .select_related(
            "category__parent",
            "commune",
            "service__commune",
            "territory",
            "author",
            "duplicate_of",
            "api_client",
        )
        .annotate(follower_count=Count("followers", distinct=True)),
        pk=pk,
    )
    if not user.has_perm("signalements.act", report):
        raise PermissionDenied(_("Only the agents of the report's service may see this page."))
    return report


def report_answers(report: Report) -> list[tuple[str, str]]:
    """The answers to the category's extra questions, as (question, answer) in the
    questions' order; a choice under its name."""
    rows = []
    for question in report.category.questions.all():
        if question.code not in report.answers:
            continue
        value = report.answers[question.code]
        if question.kind == question.Kind.CHOICE:
            names = {choice.get("key"): choice.get("name") for choice in question.choices}
            value = names.get(value, value)
        rows.append((question.label, str(value)))
    return rows


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    kind: str
    change: str
    text: str
    by: str


def report_history(report: Report) -> list[HistoryRow]:
    """Every step, oldest first: what changed, the public text and who did it (the
    pseudonym of the agent, or of the reporter who filed or reopened it; empty for
    the system)."""
    states = dict(Report.State.choices)
    rows = []
    for update in report.updates.select_related(
        "author", "service_before__commune", "service_after__commune"
    ).order_by("created_at", "pk"):
        change = ""
        if update.state_before != update.state_after and update.state_after:
            change = f"{states.get(update.state_before, '—')} → {states[update.state_after]}"
        if update.service_before_id != update.service_after_id and update.service_after_id:
            moved = f"{update.service_before or '—'} → {update.service_after}"
            change = f"{change} · {moved}" if change else moved
        rows.append(
            HistoryRow(
                at=update.created_at,
                kind=str(ReportUpdate.Kind(update.kind).label),
                change=change,
                text=update.text,
                by=update.author.pseudonym if update.author else "",
            )
        )
    return rows
