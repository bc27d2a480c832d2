# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' staff actions in the audit journal (core.audit): each workflow step
and the agents' exports, with who, where and from what address; ids, never the text."""

import pytest
from django.urls import reverse

from carto_concertation.core.models import AuditEntry
from carto_concertation.signalements.models import Report
from carto_concertation.signalements.services.workflow import (
    report_mark_duplicate,
    report_reroute,
    report_state_change,
)
from tests.factories.signalements import ReportFactory

from .desk_world import desk_world  # noqa: F401  (the ``desk`` fixture)
from .workflow_world import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
State = Report.State


def test_each_workflow_step_is_recorded_without_its_text(world):
    report = world.report
    report_state_change(
        report=report, actor=world.agent, state=State.ACKNOWLEDGED, text="Vu, texte public."
    )
    report_reroute(report=report, actor=world.agent, service=world.epci_service)
    original = ReportFactory(category=world.category, service=world.epci_service)
    report_mark_duplicate(report=report, actor=world.other_agent, original=original)

    steps = list(AuditEntry.objects.filter(action__startswith="signalements.").order_by("pk"))
    assert [e.action for e in steps] == [
        "signalements.state_changed",
        "signalements.rerouted",
        "signalements.duplicate",
    ]
    assert {(e.target_type, e.target_id) for e in steps} == {
        ("signalements.report", str(report.pk))
    }
    assert [e.actor for e in steps] == [world.agent, world.agent, world.other_agent]
    assert all(e.territory_id == report.territory_id for e in steps)
    assert steps[0].details == {"before": State.OPEN, "after": State.ACKNOWLEDGED}
    assert steps[1].details["service_after"] == world.epci_service.pk
    assert steps[2].details["original"] == original.pk
    assert "Vu, texte" not in str(list(AuditEntry.objects.values()))


def test_a_refused_step_records_nothing(world):
    with pytest.raises(Exception):  # noqa: B017  (a PermissionDenied or a ValidationError)
        report_state_change(report=world.report, actor=world.resident, state="fixed", text="x")
    assert not AuditEntry.objects.filter(action__startswith="signalements.").exists()


def test_an_agent_s_export_is_recorded_with_its_address(client, desk):
    ReportFactory(category=desk.pothole, service=desk.roads)
    client.force_login(desk.road_agent)
    response = client.get(
        reverse("signalements:desk-export", args=["csv"]), {"q": "rue"}, REMOTE_ADDR="192.0.2.33"
    )
    assert response.status_code == 200
    (entry,) = AuditEntry.objects.filter(action="signalements.exported")
    assert entry.actor == desk.road_agent and entry.ip == "192.0.2.33"
    assert entry.details == {"format": "csv", "filters": ["q"]}
