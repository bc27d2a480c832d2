# SPDX-License-Identifier: AGPL-3.0-or-later
"""The analysis of the projects: deciding (a reason when not admissible, only between
the analysis phase and the vote), merging (supporters moved once each), putting the
admissible projects to the vote. A refusal writes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carto_concertation.budgets.models import Project, ProjectSupporter
from carto_concertation.budgets.services.analysis import (
    edition_ballot_open,
    project_decide,
    projects_merge,
)
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.budgets import EditionFactory, ProjectFactory, ProjectSupporterFactory

from .editions_world import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
Status = Project.Status


def _proposed(edition, **kwargs) -> Project:
    return ProjectFactory(edition=edition, status=Status.PROPOSED, **kwargs)


def test_a_project_is_declared_admissible_at_a_revised_cost(world):
    project = _proposed(world.edition)
    project_decide(project, user=world.planner, admissible=True, reason="", revised_cost=25_000)
    project.refresh_from_db()
    assert (project.status, project.revised_cost, project.cost) == (
        Status.ADMISSIBLE,
        25_000,
        25_000,
    )


def test_not_admissible_needs_a_reason(world):
    project = _proposed(world.edition)
    with pytest.raises(ValidationError) as refused:
        project_decide(project, user=world.planner, admissible=False, reason="  ")
    assert "reason" in refused.value.message_dict
    project.refresh_from_db()
    assert project.status == Status.PROPOSED
    project_decide(project, user=world.planner, admissible=False, reason="Hors compétence")
    project.refresh_from_db()
    assert (project.status, project.analysis_reason) == (Status.NOT_ADMISSIBLE, "Hors compétence")


@pytest.mark.parametrize("phase", ["submission", "vote"])
def test_deciding_is_refused_before_the_analysis_and_once_the_vote_opened(phase):
    edition = EditionFactory(phases=phase)
    planner = user_with_role("planner", territory=edition.territory)
    project = _proposed(edition)
    with pytest.raises(ValidationError) as refused:
        project_decide(project, user=planner, admissible=True, reason="")
    assert "status" in refused.value.message_dict
    project.refresh_from_db()
    assert project.status == Status.PROPOSED


def test_only_the_territorys_planners_decide(world):
    project = _proposed(world.edition)
    for user in (world.stranger, UserFactory()):
        with pytest.raises(PermissionDenied):
            project_decide(project, user=user, admissible=True, reason="")
    project.refresh_from_db()
    assert project.status == Status.PROPOSED


def test_a_merge_moves_the_supporters_once_each(world):
    keep, other, third = (_proposed(world.edition) for _ in range(3))
    both = UserFactory()
    ProjectSupporterFactory(project=keep, user=both)
    ProjectSupporterFactory(project=other, user=both)
    only_other = ProjectSupporterFactory(project=other).user
    only_third = ProjectSupporterFactory(project=third).user
    projects_merge(keep=keep, merged=[other, third], user=world.planner, reason="Même place")
    supporters = sorted(
        ProjectSupporter.objects.filter(project=keep).values_list("user_id", flat=True)
    )
    assert supporters == sorted([both.pk, only_other.pk, only_third.pk])
    assert not ProjectSupporter.objects.filter(project__in=[other, third]).exists()
    for merged in (other, third):
        merged.refresh_from_db()
        assert (merged.status, merged.merged_into, merged.analysis_reason) == (
            Status.MERGED,
            keep,
            "Même place",
        )


def test_a_merge_across_editions_or_without_reason_writes_nothing(world):
    keep, other = _proposed(world.edition), _proposed(world.edition)
    elsewhere_edition = EditionFactory(territory=world.edition.territory, phases="analysis")
    elsewhere = _proposed(elsewhere_edition)
    ProjectSupporterFactory(project=other)
    cases = [
        ({"merged": [elsewhere], "reason": "R"}, "merged"),
        ({"merged": [other], "reason": ""}, "reason"),
        ({"merged": [keep], "reason": "R"}, "merged"),
        ({"merged": [], "reason": "R"}, "merged"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as refused:
            projects_merge(keep=keep, user=world.planner, **kwargs)
        assert field in refused.value.message_dict
    other.refresh_from_db()
    assert other.status == Status.PROPOSED and other.supporters.count() == 1


def test_opening_the_ballot_puts_the_admissible_projects_only(world):
    admissible = _proposed(world.edition)
    refused = _proposed(world.edition)
    waiting = _proposed(world.edition)
    project_decide(admissible, user=world.planner, admissible=True, reason="")
    project_decide(refused, user=world.planner, admissible=False, reason="Trop cher")
    assert edition_ballot_open(world.edition, user=world.planner) == 1
    statuses = {p.pk: p.status for p in Project.objects.filter(edition=world.edition)}
    assert statuses == {
        admissible.pk: Status.ON_BALLOT,
        refused.pk: Status.NOT_ADMISSIBLE,
        waiting.pk: Status.PROPOSED,
    }


def test_opening_the_ballot_with_nothing_admissible_is_refused(world):
    _proposed(world.edition)
    with pytest.raises(ValidationError) as refused:
        edition_ballot_open(world.edition, user=world.planner)
    assert "status" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        edition_ballot_open(world.edition, user=world.stranger)
