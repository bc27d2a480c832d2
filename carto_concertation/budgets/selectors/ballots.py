# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the ballot's pages and API read: the editions one may vote in, the projects on a
voter's ballot, the voter's own ballot (through its key, until sealed), the paper sheets
the agents have to check."""

from django.db.models import QuerySet

from ..models import Ballot, District, Edition, EditionPhase, PaperBallotEntry, Project
from ..services.ballots import voter_key


def editions_public() -> QuerySet[Edition]:
    return Edition.objects.filter(is_published=True).select_related("territory")


def vote_phase(edition: Edition) -> EditionPhase | None:
    return edition.phases.filter(kind=EditionPhase.Kind.VOTE).first()


def projects_on_ballot(edition: Edition, district: District | None = None) -> QuerySet[Project]:
    """The projects put to the vote, of the district's ballot when the envelope is split
    and a district is known (all of them otherwise: the voter has yet to choose one)."""
    projects = Project.objects.filter(edition=edition, status=Project.Status.ON_BALLOT)
    if edition.split_by_district and district is not None:
        projects = projects.filter(district=district)
    return projects.select_related("district").order_by("number")


def ballot_of(edition: Edition, user) -> Ballot | None:
    """The voter's current ballot with its choices; None before they vote or once sealed."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Ballot.objects.filter(edition=edition, voter_key=voter_key(edition, user))
        .prefetch_related("choices__project")
        .first()
    )


def has_voted(edition: Edition, user) -> bool:
    return edition.participations.filter(user=user).exists()


def paper_entries(edition: Edition, state: str | None = None) -> list[PaperBallotEntry]:
    """The sheets typed in, those to check (disagreements) first."""
    entries = edition.paper_entries.select_related("district", "first_agent", "second_agent")
    if state:
        entries = entries.filter(state=state)
    order = {PaperBallotEntry.State.DISAGREED: 0, PaperBallotEntry.State.FIRST: 1}
    return sorted(entries.order_by("station", "sheet"), key=lambda e: order.get(e.state, 2))
