# SPDX-License-Identifier: AGPL-3.0-or-later
"""An edition from a Pabulib ``.pb`` file, and an edition's ``.pb`` file.

The import writes the edition, its projects and its ballots in one transaction, or
nothing: a file that does not parse is a ValidationError on ``file`` naming the line.
The export is anonymous: the voters are numbered 1..n in a random order, no other column
of theirs is written, and only once the vote is over (ballots are secret before).
"""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carto_concertation.core.audit import audit_record
from carto_concertation.core.modules import slug_is_reserved
from carto_concertation.territories.models import Territory

from ..models import Ballot, BallotChoice, Edition, EditionPhase, Project
from ..pabulib import PabulibError, PabulibFile, number, parse, split_list, write
from ..selectors.pabulib import (
    exported_ballots,
    exported_projects,
    published_winners,
    vote_has_ended,
)

# Pabulib's rule names for ours, and back (Pabulib writes MES with its completion).
RULES_FROM_PABULIB = {
    "greedy": Edition.Rule.GREEDY,
    "equalshares": Edition.Rule.EQUAL_SHARES,
    "equalshares/add1": Edition.Rule.EQUAL_SHARES,
    "knapsack": Edition.Rule.KNAPSACK,
}
RULES_TO_PABULIB = {
    Edition.Rule.GREEDY: "greedy",
    Edition.Rule.EQUAL_SHARES: "equalshares/add1",
    Edition.Rule.KNAPSACK: "knapsack",
}
# Rows per INSERT: Warsaw's files hold tens of thousands of ballots.
BATCH = 2000
SMALL_INT_MAX = 32767  # PositiveSmallIntegerField
# A file larger than this is refused before it is read (Warsaw's largest are ~10 MB).
MAX_FILE_BYTES = 30 * 1024 * 1024


def _read(file_or_text) -> bytes | str:
    if isinstance(file_or_text, bytes | str):
        return file_or_text
    if file_or_text.size is not None and file_or_text.size > MAX_FILE_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 2**20}}
        )
    file_or_text.seek(0)
    return file_or_text.read()


def _date(text: str) -> datetime | None:
    """Pabulib's dates are ``dd.mm.yyyy``; anything else is left out."""
    try:
        day = datetime.strptime(text.strip(), "%d.%m.%Y")
    except ValueError:
        return None
    return timezone.make_aware(day)


def _small(meta: dict[str, str], key: str, default: int = 0) -> int:
    if key not in meta:
        return default
    return min(int(number(meta[key])), SMALL_INT_MAX)


def _unique_slug(base: str) -> str:
    base = slugify(base)[:70].strip("-") or "budget"
    slug, suffix = base, 2
    while slug_is_reserved(slug) or Edition.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _edition_fields(pb: PabulibFile) -> dict:
    meta = pb.meta
    place = " ".join(meta[key] for key in ("unit", "subunit") if meta.get(key))
    instance = meta.get("instance", "")
    title = meta.get("description") or " ".join(p for p in (place, instance) if p)
    year = int(instance[:4]) if instance[:4].isdigit() else None
    end = _date(meta.get("date_end", ""))
    year = year or (end.year if end else timezone.now().year)
    budget = int(number(meta["budget"]))
    # No min_length: the file's ballots may be empty, the edition sets no minimum either.
    min_choices = _small(meta, "min_length", 0)
    max_choices = _small(meta, "max_length")
    return {
        "title": (title or _("Imported participatory budget"))[:200],
        "slug": _unique_slug(" ".join(p for p in (place, instance) if p) or title),
        "year": year,
        "description": meta.get("description", ""),
        "envelope": budget,
        "ballot_type": pb.vote_type,
        "min_choices": min_choices,
        "max_choices": max(max_choices, min_choices) if max_choices else 0,
        "within_envelope": "max_sum_cost" in meta and int(number(meta["max_sum_cost"])) <= budget,
        "max_points_per_project": _small(meta, "max_points"),
        "max_points_total": _small(meta, "max_sum_points"),
        "counting_rule": RULES_FROM_PABULIB.get(meta.get("rule", ""), Edition.Rule.GREEDY),
        # An import is a draft the agents review before they publish it.
        "is_published": False,
    }


def _vote_phase(edition: Edition, meta: dict[str, str]) -> None:
    """The imported ballots are a finished vote: its phase is over (the file's dates when
    it gives them, else up to now)."""
    now = timezone.now()
    begin, end = _date(meta.get("date_begin", "")), _date(meta.get("date_end", ""))
    if begin is None or end is None or end + timedelta(days=1) > now or end < begin:
        begin, end = now - timedelta(days=1), now
    else:
        end += timedelta(days=1) - timedelta(seconds=1)  # the whole last day
    EditionPhase.objects.create(
        edition=edition, kind=EditionPhase.Kind.VOTE, starts_at=begin, ends_at=end
    )


def edition_import_pb(*, territory: Territory, file, user) -> Edition:
    """A new edition of ``territory`` from a ``.pb`` file (an uploaded file, its bytes or its
    text): its projects numbered 1..n in the file's order, its ballots (channel imported)."""
    if not user.has_perm("budgets.run", Edition(territory=territory)):
        raise PermissionDenied(_("You may not run the participatory budgets of this territory."))
    try:
        pb = parse(_read(file))
    except PabulibError as error:
        raise ValidationError({"file": str(error)}) from None
    with transaction.atomic():
        edition = Edition.objects.create(territory=territory, **_edition_fields(pb))
        _vote_phase(edition, pb.meta)
        projects = Project.objects.bulk_create(
            [
                Project(
                    edition=edition,
                    number=index,
                    title=(row.get("name") or _("Project %(id)s") % {"id": row["project_id"]})[
                        :200
                    ],
                    description=row.get("description", "")[:5000],
                    estimated_cost=int(number(row["cost"])),
                    status=Project.Status.ON_BALLOT,
                    source_id=row["project_id"][:64],
                )
                for index, row in enumerate(pb.projects, start=1)
            ],
            batch_size=BATCH,
        )
        by_id = {
            row["project_id"]: project for row, project in zip(pb.projects, projects, strict=True)
        }
        ballots = Ballot.objects.bulk_create(
            [
                Ballot(
                    edition=edition, channel=Ballot.Channel.IMPORTED, source_id=row["voter_id"][:64]
                )
                for row in pb.votes
            ],
            batch_size=BATCH,
        )
        BallotChoice.objects.bulk_create(
            [
                choice
                for row, ballot in zip(pb.votes, ballots, strict=True)
                for choice in _choices(pb, row, ballot, by_id)
            ],
            batch_size=BATCH,
        )
    return edition


def _choices(pb: PabulibFile, row: dict[str, str], ballot: Ballot, by_id: dict[str, Project]):
    chosen = split_list(row["vote"])
    points = split_list(row.get("points", "")) if pb.vote_type == "cumulative" else ()
    for index, project_id in enumerate(chosen):
        yield BallotChoice(
            ballot=ballot,
            project=by_id[project_id],
            points=min(int(points[index]), SMALL_INT_MAX) if points else 1,
            rank=index + 1 if pb.vote_type == "ordinal" else None,
        )


def _export_meta(edition: Edition, num_projects: int, num_votes: int) -> dict[str, str]:
    meta = {
        "description": edition.title,
        "country": "France",
        "unit": edition.territory.name,
        "instance": str(edition.year),
        "num_projects": str(num_projects),
        "num_votes": str(num_votes),
        "budget": str(edition.envelope),
        "vote_type": edition.ballot_type,
        "rule": RULES_TO_PABULIB.get(edition.counting_rule, "greedy"),
    }
    vote = edition.phases.filter(kind=EditionPhase.Kind.VOTE).first()
    if vote is not None:
        meta["date_begin"] = timezone.localtime(vote.starts_at).strftime("%d.%m.%Y")
        if vote.ends_at:
            meta["date_end"] = timezone.localtime(vote.ends_at).strftime("%d.%m.%Y")
    if edition.ballot_type == Edition.BallotType.CUMULATIVE:
        if edition.max_points_per_project:
            meta["max_points"] = str(edition.max_points_per_project)
        if edition.max_points_total:
            meta["max_sum_points"] = str(edition.max_points_total)
    else:
        if edition.min_choices:
            meta["min_length"] = str(edition.min_choices)
        if edition.max_choices:
            meta["max_length"] = str(edition.max_choices)
    if edition.within_envelope:
        meta["max_sum_cost"] = str(edition.envelope)
    meta["language"] = "french"
    return meta


def staff_export_record(edition: Edition, *, user) -> None:
    """A planner's export of the ballots in the staff audit journal (a published
    edition's file is open to anyone: only the exports of those who run it are recorded)."""
    if user.is_authenticated and user.has_perm("budgets.run", edition):
        audit_record("budgets.exported", edition, actor=user, territory=edition.territory_id)


def edition_export_pb(edition: Edition) -> str:
    """The edition's ``.pb`` text, once its vote is over (PermissionDenied before)."""
    if not vote_has_ended(edition):
        raise PermissionDenied(_("The ballots are published once the vote is over."))
    projects = exported_projects(edition)
    winners = published_winners(edition)
    project_rows = []
    for project in projects:
        row = {"project_id": str(project.number), "cost": str(project.cost), "name": project.title}
        if winners is not None:
            row["selected"] = "1" if project.pk in winners else "0"
        project_rows.append(row)
    listed = {project.pk for project in projects}
    cumulative = edition.ballot_type == Edition.BallotType.CUMULATIVE
    ballots = exported_ballots(edition)
    # The voters' order and numbers come from a shuffle: neither the order of the rows
    # nor the ids tells when or how a ballot was cast.
    secrets.SystemRandom().shuffle(ballots)
    vote_rows = []
    for voter, ballot in enumerate(ballots, start=1):
        choices = [c for c in ballot.choices.all() if c.project_id in listed]
        row = {"voter_id": str(voter), "vote": ",".join(str(c.project.number) for c in choices)}
        if cumulative:
            row["points"] = ",".join(str(c.points) for c in choices)
        vote_rows.append(row)
    meta = _export_meta(edition, len(project_rows), len(vote_rows))
    return write(PabulibFile(meta=meta, projects=project_rows, votes=vote_rows))
