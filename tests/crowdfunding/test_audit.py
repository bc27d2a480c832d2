# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's decisions in the audit journal (core.audit)."""

import pytest

from carto_concertation.core.models import AuditEntry
from carto_concertation.crowdfunding.services.projects import (
    project_accept,
    project_refuse,
    project_submit,
)

from .submission_world import project_data, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def submitted(world, title: str):
    return project_submit(
        user=world.porteur, territory=world.territory, data=project_data(world, title=title)
    )


def test_a_validation_and_a_refusal_are_recorded_without_the_reason(world):
    accepted = project_accept(user=world.planner, project=submitted(world, "Un jardin"))
    refused = submitted(world, "Un parking")
    project_refuse(user=world.planner, project=refused, reason="Raison publique du refus")
    decisions = AuditEntry.objects.filter(action__startswith="crowdfunding.").order_by("pk")
    entries = list(decisions.values_list("action", "target_id", "actor"))
    assert entries == [
        ("crowdfunding.accepted", str(accepted.pk), world.planner.pk),
        ("crowdfunding.refused", str(refused.pk), world.planner.pk),
    ]
    assert "Raison publique" not in str(list(AuditEntry.objects.values()))
    assert set(decisions.values_list("territory", flat=True)) == {world.territory.pk}
