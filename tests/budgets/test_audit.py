# SPDX-License-Identifier: AGPL-3.0-or-later
"""A participatory budget's staff decisions in the audit journal (core.audit)."""

import pytest

from carto_concertation.budgets.models import Project
from carto_concertation.budgets.services.analysis import edition_ballot_open, project_decide
from carto_concertation.core.models import AuditEntry
from tests.factories.accounts import user_with_role
from tests.factories.budgets import BallotFactory, EditionFactory, ProjectFactory

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


@pytest.mark.parametrize(
    "path", ["/budgets/{slug}/export.pb", "/api/v1/budgets/editions/{slug}/export.pb"]
)
def test_a_planner_s_export_of_the_ballots_is_recorded_an_anonymous_one_is_not(client, path):
    edition = EditionFactory(phases="results")
    project = ProjectFactory(edition=edition)
    BallotFactory(edition=edition, projects=[project])
    url = path.format(slug=edition.slug)
    assert client.get(url).status_code == 200
    assert not AuditEntry.objects.filter(action="budgets.exported").exists()

    planner = user_with_role("planner", territory=edition.territory)
    client.force_login(planner)
    assert client.get(url, REMOTE_ADDR="192.0.2.90").status_code == 200
    (entry,) = AuditEntry.objects.filter(action="budgets.exported")
    assert (entry.actor, entry.ip, entry.target_id) == (planner, "192.0.2.90", str(edition.pk))
