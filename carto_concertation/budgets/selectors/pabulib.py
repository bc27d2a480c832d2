# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads for the Pabulib import and export: the territories an agent may import into, an
edition's election as the counting reads it, whether its ballots may be published yet."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import territories_for_role, user_is_administrator
from carto_concertation.territories.models import Territory

from ..counting import Ballot as CountedBallot
from ..counting import Election
from ..counting import Project as CountedProject
from ..models import Ballot, BallotChoice, Edition, EditionPhase, Project, ResultRun

# The projects an export lists: those put to the vote, whatever came of them since.
VOTED_STATUSES = (
    Project.Status.ON_BALLOT,
    Project.Status.WINNER,
    Project.Status.NOT_SELECTED,
    Project.Status.DONE,
)


def territories_for_import(user) -> QuerySet[Territory]:
    """The territories whose editions ``user`` may run (``budgets.run``): all of them for
    an administrator, else those they plan."""
    if not user.is_authenticated:
        return Territory.objects.none()
    if user_is_administrator(user=user):
        return Territory.objects.order_by("name")
    return territories_for_role(user=user, role=Role.PLANNER).order_by("name")


def vote_has_ended(edition: Edition) -> bool:
    """The ballots are secret until the vote phase is over (it has an end, now past)."""
    return edition.phases.filter(
        kind=EditionPhase.Kind.VOTE, ends_at__isnull=False, ends_at__lte=timezone.now()
    ).exists()


def edition_for_export(*, slug: str, user) -> Edition | None:
    """The edition of ``slug`` if ``user`` may see it: published, or theirs to run."""
    edition = Edition.objects.select_related("territory").filter(slug=slug).first()
    if edition is None:
        return None
    if edition.is_published or user.has_perm("budgets.run", edition):
        return edition
    return None


def exported_projects(edition: Edition) -> list[Project]:
    """The projects put to the vote (or named on a ballot), by number."""
    return list(
        edition.projects.filter(Q(status__in=VOTED_STATUSES) | Q(choices__isnull=False))
        .distinct()
        .order_by("number")
    )


def exported_ballots(edition: Edition) -> list[Ballot]:
    """Every ballot with its choices, best rank first, then by project number."""
    choices = BallotChoice.objects.select_related("project").order_by("rank", "project__number")
    return list(
        edition.ballots.prefetch_related(Prefetch("choices", queryset=choices)).order_by("pk")
    )


def published_winners(edition: Edition) -> set[int] | None:
    """The pks of the winners of the edition's published results (the latest run of each
    district, or of the whole edition); None when no result is published."""
    runs = ResultRun.objects.filter(edition=edition, is_published=True).order_by(
        "district_id", "-published_at", "-pk"
    )
    latest: dict[int | None, ResultRun] = {}
    for run in runs:
        latest.setdefault(run.district_id, run)
    if not latest:
        return None
    return {int(pk) for run in latest.values() for pk in run.selected}


def edition_election(edition: Edition) -> Election:
    """The edition's election with the project numbers as ids, as an export writes it."""
    projects = tuple(
        CountedProject(id=str(p.number), cost=p.cost, name=p.title)
        for p in exported_projects(edition)
    )
    cumulative = edition.ballot_type == Edition.BallotType.CUMULATIVE
    ballots = []
    for ballot in exported_ballots(edition):
        choices = list(ballot.choices.all())
        ballots.append(
            CountedBallot(
                projects=tuple(str(c.project.number) for c in choices),
                points=tuple(c.points for c in choices) if cumulative else None,
            )
        )
    return Election(
        budget=edition.envelope,
        projects=projects,
        ballots=tuple(ballots),
        vote_type=edition.ballot_type,
    )
