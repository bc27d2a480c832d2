# SPDX-License-Identifier: AGPL-3.0-or-later
"""An edition whose vote has just closed, with five projects and five ballots that greedy
counts into every kind of outcome: bought, did not fit, no votes."""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.budgets.models import Edition, EditionPhase, Project
from carto_concertation.core.models import Job
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.budgets import BallotFactory, EditionFactory, ProjectFactory


def vote_close(edition: Edition) -> None:
    EditionPhase.objects.filter(edition=edition, kind=EditionPhase.Kind.VOTE).update(
        ends_at=timezone.now() - timedelta(hours=1)
    )


@dataclass
class World:
    edition: Edition
    planner: object
    resident: object
    projects: list[Project]


def results_world(*, close: bool = True, **edition) -> World:
    """Greedy on 100,000 €: no. 1 (50,000 €, 5 votes) and no. 2 (40,000 €, 4) bought,
    no. 3 (30,000 €, 3) no longer fits in the 10,000 € left, no. 4 (10,000 €, 2) does,
    no. 5 (5,000 €) has no vote."""
    edition.setdefault("phases", "vote")
    edition = EditionFactory(districts=2, **edition)
    costs = [50_000, 40_000, 30_000, 10_000, 5_000]
    projects = [
        ProjectFactory(edition=edition, number=index + 1, estimated_cost=cost)
        for index, cost in enumerate(costs)
    ]
    p1, p2, p3, p4, _p5 = projects
    for chosen in ([p1, p2, p3, p4], [p1, p2, p3, p4], [p1, p2, p3], [p1, p2], [p1]):
        BallotFactory(edition=edition, projects=chosen)
    if close:
        vote_close(edition)
    return World(
        edition=edition,
        planner=user_with_role(Role.PLANNER, territory=edition.territory),
        resident=UserFactory(),
        projects=projects,
    )


def wait_for(job_id, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job still {job.status} after {timeout} s")


def post(client, path: str, data: dict):
    return client.post(path, data, content_type="application/json")


def api(slug: str, action: str = "") -> str:
    return f"/api/v1/budgets/editions/{slug}/results{action}"
