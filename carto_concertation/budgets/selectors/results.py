# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results' reads: an edition's ballots as a counting ``Election``, whether its vote has
closed, its computed and published runs."""

from itertools import groupby
from operator import itemgetter

from django.db.models import QuerySet
from django.utils import timezone

from .. import counting
from ..models import BallotChoice, District, Edition, EditionPhase, Project, ResultRun

# The projects a count considers: those put to the vote, and those already decided by an
# earlier count (a recount must see the same set).
COUNTED_STATUSES = (
    Project.Status.ON_BALLOT,
    Project.Status.WINNER,
    Project.Status.NOT_SELECTED,
)
# How many choices the database hands over at a time: 100,000 ballots stream in a few
# round trips without holding every row twice in memory.
CHUNK = 20_000


def counted_projects(edition: Edition, district: District | None = None) -> QuerySet[Project]:
    projects = Project.objects.filter(edition=edition, status__in=COUNTED_STATUSES)
    if district is not None:
        projects = projects.filter(district=district)
    return projects.order_by("number")


def election_of(edition: Edition, district: District | None = None) -> counting.Election:
    """The edition's (or the district's) count as plain values: the projects by number,
    the ballots' choices (ordinal: best first; cumulative: with their points), the
    envelope. Two queries whatever the number of ballots; a ballot without a counted
    project is left out (it would weigh on nothing but the Equal Shares' share)."""
    projects = {
        pk: (number, revised, estimated, title)
        for pk, number, revised, estimated, title in counted_projects(
            edition, district
        ).values_list("pk", "number", "revised_cost", "estimated_cost", "title")
    }
    ids = {pk: str(number) for pk, (number, *_rest) in projects.items()}
    choices = BallotChoice.objects.filter(ballot__edition=edition, project__in=list(projects))
    if district is not None:
        choices = choices.filter(ballot__district=district)
    # Ranks first (null for approval and cumulative ballots, and NULLS LAST in PostgreSQL),
    # then the project's pk: the ballot's order is stable from one count to the next.
    rows = (
        choices.order_by("ballot_id", "rank", "project_id")
        .values_list("ballot_id", "project_id", "points")
        .iterator(chunk_size=CHUNK)
    )
    cumulative = edition.ballot_type == Edition.BallotType.CUMULATIVE
    ballots = []
    for _ballot, group in groupby(rows, key=itemgetter(0)):
        chosen = list(group)
        ballots.append(
            counting.Ballot(
                projects=tuple(ids[project] for _b, project, _p in chosen),
                points=tuple(points for _b, _pr, points in chosen) if cumulative else None,
            )
        )
    budget = district.envelope if district is not None else edition.envelope
    return counting.Election(
        budget=budget or 0,
        projects=tuple(
            counting.Project(
                id=str(number), cost=revised if revised is not None else estimated, name=title
            )
            for number, revised, estimated, title in projects.values()
        ),
        ballots=tuple(ballots),
        vote_type=edition.ballot_type,
        meta={"edition": edition.slug, "district": district.name if district else ""},
    )


def vote_closed(edition: Edition) -> bool:
    """The vote has ended (its phase's end is past), or the edition has no phases at all
    (imported from a .pb file: its ballots are final)."""
    phases = list(edition.phases.all())
    if not phases:
        return True
    vote = next((phase for phase in phases if phase.kind == EditionPhase.Kind.VOTE), None)
    return vote is not None and vote.ends_at is not None and vote.ends_at <= timezone.now()


def result_runs(edition: Edition) -> QuerySet[ResultRun]:
    """Every run of the edition, the latest first, with its district and job."""
    return (
        ResultRun.objects.filter(edition=edition)
        .select_related("district", "job", "edition")
        .order_by("-created_at", "district__name", "pk")
    )


def published_runs(edition: Edition) -> list[ResultRun]:
    """The published set (one run, or one per district), districts by name."""
    return list(
        ResultRun.objects.filter(edition=edition, is_published=True)
        .select_related("district")
        .order_by("district__name", "pk")
    )


def projects_by_pk(edition: Edition) -> dict[int, Project]:
    """The edition's projects by pk, to name the projects a run's explanations refer to."""
    return {
        project.pk: project
        for project in Project.objects.filter(edition=edition).select_related("district")
    }
