# SPDX-License-Identifier: AGPL-3.0-or-later
"""The budget's demo, loaded with the real demo (load_demo, once for the module): a past
edition counted and followed up, a current one in its vote phase."""

import pytest
from django.test import Client

from carto_concertation.budgets.models import (
    Ballot,
    Edition,
    EditionPhase,
    Project,
    ProjectFollower,
    ProjectUpdate,
    ResultRun,
)
from carto_concertation.budgets.selectors.followup import achievements
from carto_concertation.site.demo import DEMO_SIREN

pytestmark = [pytest.mark.django_db, pytest.mark.real_demo]


def test_load_demo_gives_the_budget_rows(demo_world):
    past, current = Edition.objects.filter(territory__siren=DEMO_SIREN).order_by("year")
    assert (past.year, current.year) == (2025, 2026)
    assert past.districts.count() >= 2 and current.split_by_district

    # The past edition: counted by greedy, published, its winners in every realisation.
    run = ResultRun.objects.get(edition=past, is_published=True)
    winners = set(past.projects.filter(status__in=["winner", "done"]).values_list("pk", flat=True))
    assert set(run.selected) == winners and run.total_cost <= past.envelope
    assert run.ballots_counted == Ballot.objects.filter(edition=past).count() >= 200
    assert {p.realisation for p in past.projects.filter(pk__in=winners)} == {
        "study",
        "works",
        "done",
        "abandoned",
    }
    assert past.projects.filter(status="done", progress=100).exists()
    assert all(p.abandon_reason for p in past.projects.filter(realisation="abandoned"))
    assert ProjectUpdate.objects.filter(project__edition=past).count() >= len(winners)
    assert ProjectUpdate.objects.filter(project__edition=past).exclude(photo="").exists()
    assert ProjectFollower.objects.filter(user__email="habitant@demo.invalid").exists()

    # The current edition: its vote open now, projects in every status of the analysis.
    assert current.phases.get(kind=EditionPhase.Kind.VOTE).starts_at is not None
    statuses = set(current.projects.values_list("status", flat=True))
    assert {"proposed", "admissible", "not_admissible", "merged", "on_ballot"} <= statuses
    assert current.projects.get(status="not_admissible").analysis_reason
    assert current.projects.get(status="merged").merged_into is not None
    assert not current.projects.filter(geom__isnull=True).exists()
    assert Ballot.objects.filter(edition=current).count() >= 100
    assert (
        not Project.objects.filter(edition=current, choices__isnull=False)
        .exclude(status="on_ballot")
        .exists()
    ), "ballots hold only the projects put to the vote"

    # What the follow-up shows of it.
    assert achievements().filter(edition=past).count() == len(winners)
    page = Client().get("/budgets/realisations/")
    assert page.status_code == 200 and page.content.decode().count("<tr class=") == len(winners)

    # The past edition's results page explains each project, as the results job wrote it.
    results = Client().get(f"/budgets/{past.slug}/resultats/", headers={"accept-language": "en"})
    assert results.status_code == 200
    assert results.content.decode().count("Funded (chosen in position") == len(winners)
