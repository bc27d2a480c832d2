# SPDX-License-Identifier: AGPL-3.0-or-later
"""A participatory budget's staff decisions in the audit journal (core.audit)."""

import pytest

from carto_concertation.budgets.models import Project
from carto_concertation.budgets.services.analysis import edition_ballot_open, project_decide
from carto_concertation.core.models import AuditEntry
from tests.factories.budgets import ProjectFactory

from .editions_world import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_analysis_decisions_are_recorded(world):
    kept = ProjectFactory(edition=world.edition, status=Project.Status.PROPOSED)
    refused = ProjectFactory(edition=world.edition, status=Project.Status.PROPOSED)
    project_decide(kept, user=world.planner, admissible=True, reason="")
    project_decide(refused, user=world.planner, admissible=False, reason="Hors compétence")
    edition_ballot_open(world.edition, user=world.planner)

    decided = AuditEntry.objects.filter(action="budgets.project_decided").order_by("pk")
    assert [(e.target_id, e.details["admissible"]) for e in decided] == [
        (str(kept.pk), True),
        (str(refused.pk), False),
    ]
    assert {e.actor for e in decided} == {world.planner}
    assert {e.territory_id for e in decided} == {world.edition.territory_id}
    (opened,) = AuditEntry.objects.filter(action="budgets.ballot_opened")
    assert opened.details == {"projects": 1} and opened.target_id == str(world.edition.pk)


def test_a_refused_decision_records_nothing(world):
    project = ProjectFactory(edition=world.edition, status=Project.Status.PROPOSED)
    with pytest.raises(Exception):  # noqa: B017  (PermissionDenied)
        project_decide(project, user=world.stranger, admissible=True, reason="")
    assert not AuditEntry.objects.filter(action__startswith="budgets.").exists()
