# SPDX-License-Identifier: AGPL-3.0-or-later
"""Paper ballots typed in at the polling stations, twice: the first entry of a sheet waits
for a second one by another agent; when both agree exactly the sheet counts (a ballot of
channel paper), when they disagree an agent who runs the edition types the right version.
Each entry is checked as an online ballot is (``choices_check``); one transaction each."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Ballot, District, Edition, PaperBallotEntry
from .ballots import Choice, choices_check, choices_write

State = PaperBallotEntry.State


def _entry(district: District | None, checked: list[Choice]) -> dict:
    """A sheet as typed, in one canonical form (so that two entries compare exactly)."""
    return {
        "district": getattr(district, "pk", None),
        "choices": sorted(
            ({"project": c.project.number, "points": c.points, "rank": c.rank} for c in checked),
            key=lambda c: c["project"],
        ),
    }


def _sheet_check(edition: Edition, district: District | None, choices: list[dict]) -> list[Choice]:
    if district is not None and district.edition_id != edition.pk:
        raise ValidationError({"district": _("Choose one of this edition's districts.")})
    if edition.split_by_district and district is None:
        raise ValidationError({"district": _("Choose the district of the sheet.")})
    if not edition.phases.filter(kind="vote").exists():
        raise ValidationError({"edition": _("This edition has no vote.")})
    return choices_check(edition, district, choices)


def _count(entry: PaperBallotEntry, district: District | None, checked: list[Choice]) -> None:
    ballot = Ballot.objects.create(
        edition=entry.edition, district=district, channel=Ballot.Channel.PAPER
    )
    choices_write(ballot, checked)
    entry.ballot = ballot
    entry.state = State.AGREED


def paper_enter(
    *,
    edition: Edition,
    agent,
    station: str,
    sheet: str,
    district: District | None,
    choices: list[dict],
) -> PaperBallotEntry:
    """Type in a sheet: its first entry, or the second one (another agent) that makes it
    count when it agrees exactly with the first, or a disagreement to resolve."""
    if not agent.has_perm("budgets.enter_paper", edition):
        raise PermissionDenied(_("Only the relays and planners of the territory type in ballots."))
    station, sheet = station.strip(), sheet.strip()
    if not station:
        raise ValidationError({"station": _("Name the polling station.")})
    if not sheet:
        raise ValidationError({"sheet": _("Give the sheet's number.")})
    with transaction.atomic():
        checked = _sheet_check(edition, district, choices)
        typed = _entry(district, checked)
        entry = (
            PaperBallotEntry.objects.select_for_update()
            .filter(edition=edition, station=station, sheet=sheet)
            .first()
        )
        if entry is None:
            try:
                with transaction.atomic():
                    return PaperBallotEntry.objects.create(
                        edition=edition,
                        station=station,
                        sheet=sheet,
                        district=district,
                        first_entry=typed,
                        first_agent=agent,
                    )
            except IntegrityError:
                # Another agent typed the same sheet at the same moment: this is its second entry.
                entry = PaperBallotEntry.objects.select_for_update().get(
                    edition=edition, station=station, sheet=sheet
                )
        if entry.state != State.FIRST:
            raise ValidationError({"sheet": _("This sheet has been typed in twice already.")})
        if entry.first_agent_id == agent.pk:
            raise ValidationError(
                {"sheet": _("The second entry of a sheet is typed by another agent.")}
            )
        entry.second_entry, entry.second_agent = typed, agent
        if typed == entry.first_entry:
            _count(entry, district, checked)
        else:
            entry.state = State.DISAGREED
        entry.save()
        return entry


def paper_resolve(
    *, entry: PaperBallotEntry, agent, district: District | None, choices: list[dict]
) -> PaperBallotEntry:
    """The right version of a sheet whose entries disagree, typed by an agent who runs the
    edition after looking at the sheet: it counts."""
    edition = entry.edition
    if not agent.has_perm("budgets.run", edition):
        raise PermissionDenied(_("Only the planners running this edition resolve a sheet."))
    with transaction.atomic():
        entry = PaperBallotEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.state != State.DISAGREED:
            raise ValidationError({"sheet": _("This sheet's entries do not disagree.")})
        checked = _sheet_check(edition, district, choices)
        entry.district = district
        _count(entry, district, checked)
        entry.save()
        return entry
