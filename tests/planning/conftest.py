# SPDX-License-Identifier: AGPL-3.0-or-later
"""The planners' pages stand on the small world (tests/worlds.py): its planner, its
moderator, its resident, and a planner of another territory."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.services import role_grant
from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.contributions.planning import bilan
from carto_concertation.core.models import Job
from tests.factories import TerritoryFactory, UserFactory
from tests.worlds import make_idea

SECRET_NOTE = "Note-Interne-Secrète : le propriétaire est le cousin du maire."
SECRET_SERVICE = "Service-Interne-Voirie"


@pytest.fixture
def open_concertation(small_open_concertation) -> Concertation:
    return small_open_concertation


@pytest.fixture
def other_planner():
    """A planner, but of another territory."""
    user = UserFactory()
    role_grant(user=user, role=Role.PLANNER, territory=TerritoryFactory())
    return user


@pytest.fixture
def idea(open_concertation):
    return make_idea(
        open_concertation,
        UserFactory(),
        libelle="UE",
        title="Un passage piéton devant l'école",
        text="Les enfants traversent sans protection.",
    )


def page_url(concertation, idea) -> str:
    return f"/concertations/{concertation.slug}/idees/{idea.pk}/traitement/"


def bilan_job_made(concertation, user, *, html: str = "<!DOCTYPE html><p>Bilan</p>") -> Job:
    """A succeeded bilan job with its two files (what the task leaves), without
    printing a PDF: the publication is what these tests are about."""
    job = Job.objects.create(
        kind=bilan.JOB_KIND,
        title="Bilan",
        params={"concertation_id": concertation.pk, "language": "fr"},
        created_by=user,
        status=Job.Status.SUCCEEDED,
    )
    for fmt, content in (("html", html.encode()), ("pdf", b"%PDF-1.4 bilan")):
        path: Path = bilan.bilan_path(job_id=str(job.pk), fmt=fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return job


def bilan_phase_add(concertation, *, started: bool = True) -> Phase:
    """The concertation's "bilan" phase, begun yesterday (or beginning in ten days)."""
    now = timezone.now()
    start = now - timedelta(hours=1) if started else now + timedelta(days=10)
    concertation.phases.filter(kind=Phase.Kind.CONTRIBUTIONS).update(
        ends_at=min(start, now + timedelta(days=30))
    )
    return Phase.objects.create(concertation=concertation, kind=Phase.Kind.BILAN, starts_at=start)
