# SPDX-License-Identifier: AGPL-3.0-or-later
"""Casting a ballot online: who may (eligibility, declared), what a ballot may hold (the
same check for online and paper ballots), and the vote itself, one transaction each.

Who voted (``Participation``) and what was voted (``Ballot``) are written apart; the
ballot is found again, to be changed until the vote closes, through ``voter_key`` alone:
a keyed hash of (edition, person) that ``ballot_seal`` erases when the vote closes.
A refusal is a ``ValidationError`` naming the field (``VoteClosed`` for ``edition``,
``NotEligible`` for the declarations) and writes nothing."""

import secrets
from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..models import (
    Ballot,
    BallotChoice,
    District,
    Edition,
    EditionPhase,
    Participation,
    Project,
)

# Ours alone: the key derived from SECRET_KEY under it serves nothing else.
VOTER_KEY_SALT = "carto_concertation.budgets.ballot.voter_key"


class VoteClosed(ValidationError):
    """The edition is not in its vote phase now (the API answers 409)."""


class NotEligible(ValidationError):
    """The voter did not make the declarations the edition asks (the API answers 403)."""


@dataclass(frozen=True)
class Declarations:
    """What the voter declares: living in the territory, being of the minimum age, and
    (when the edition asks) the district of their address, chosen or from a point."""

    resident: bool = False
    of_age: bool = False
    district: District | None = None
    point: Point | None = None


@dataclass(frozen=True)
class Choice:
    """One checked choice of a ballot: a project of the ballot, its points, its rank."""

    project: Project
    points: int = 1
    rank: int | None = None


def voter_key(edition: Edition, user) -> str:
    """HMAC-SHA256 of "<edition pk>:<user pk>" under a key derived from SECRET_KEY."""
    return salted_hmac(VOTER_KEY_SALT, f"{edition.pk}:{user.pk}", algorithm="sha256").hexdigest()


def vote_open(edition: Edition, *, now=None) -> bool:
    """The edition's vote phase has started and not ended (its dates are inclusive)."""
    now = now or timezone.now()
    phase = edition.phases.filter(kind=EditionPhase.Kind.VOTE).first()
    return (
        phase is not None
        and phase.starts_at <= now
        and (phase.ends_at is None or now <= phase.ends_at)
    )


def district_of_point(edition: Edition, point: Point) -> District | None:
    return edition.districts.filter(geom__intersects=point).order_by("pk").first()


def eligibility_check(edition: Edition, declarations: Declarations) -> District | None:
    """The voter's district (None when the edition asks none), or ``NotEligible``."""
    errors: dict[str, str] = {}
    if not declarations.resident:
        errors["resident"] = _("Only residents of the territory may vote: tick the box.")
    if edition.minimum_age and not declarations.of_age:
        errors["of_age"] = _("Only people of at least %(age)s may vote: tick the box.") % {
            "age": edition.minimum_age
        }
    if errors:
        raise NotEligible(errors)
    if not (edition.address_in_district_required or edition.split_by_district):
        return None
    district = declarations.district
    if district is not None and district.edition_id != edition.pk:
        raise ValidationError({"district": _("Choose one of this edition's districts.")})
    if district is None and declarations.point is not None:
        district = district_of_point(edition, declarations.point)
        if district is None:
            raise ValidationError({"district": _("This place is in none of the districts.")})
    if district is None:
        raise ValidationError({"district": _("Choose the district of your address.")})
    return district


def _envelope(edition: Edition, district: District | None) -> int:
    if edition.split_by_district and district is not None and district.envelope is not None:
        return district.envelope
    return edition.envelope


def _euros(amount: int) -> str:
    return number_format(amount, force_grouping=True)


def _count_check(edition: Edition, n: int) -> None:
    if n < max(edition.min_choices, 1):
        raise ValidationError(
            {"choices": _("Choose at least %(n)s project(s).") % {"n": max(edition.min_choices, 1)}}
        )
    if edition.max_choices and n > edition.max_choices:
        raise ValidationError(
            {"choices": _("Choose at most %(n)s project(s).") % {"n": edition.max_choices}}
        )


def choices_check(edition: Edition, district: District | None, choices: list[dict]) -> list[Choice]:
    """The ballot's choices, each ``{"project": number, "points": n, "rank": r}``, checked
    against the edition's rules: projects on its ballot (of the district's ballot when the
    envelope is split), their count, the envelope, the points, the ranks."""
    numbers = [choice.get("project") for choice in choices]
    if len(set(numbers)) != len(numbers):
        raise ValidationError({"choices": _("A project is chosen twice.")})
    projects = {
        project.number: project
        for project in Project.objects.filter(
            edition=edition, number__in=[n for n in numbers if isinstance(n, int)]
        )
    }
    for number in numbers:
        project = projects.get(number)
        if project is None or project.status != Project.Status.ON_BALLOT:
            raise ValidationError(
                {"choices": _("Project %(n)s is not on the ballot.") % {"n": number}}
            )
        if edition.split_by_district and project.district_id != getattr(district, "pk", None):
            raise ValidationError(
                {"choices": _("Project %(n)s is not on your district's ballot.") % {"n": number}}
            )
    kind = edition.ballot_type
    checked: list[Choice] = []
    if kind == Edition.BallotType.APPROVAL:
        _count_check(edition, len(numbers))
        checked = [Choice(projects[n]) for n in numbers]
        if edition.within_envelope:
            total, envelope = sum(c.project.cost for c in checked), _envelope(edition, district)
            if total > envelope:
                raise ValidationError(
                    {
                        "choices": _(
                            "The chosen projects cost %(total)s €, more than the envelope "
                            "of %(envelope)s €."
                        )
                        % {"total": _euros(total), "envelope": _euros(envelope)}
                    }
                )
    elif kind == Edition.BallotType.CUMULATIVE:
        checked = [Choice(projects[c["project"]], points=c.get("points") or 0) for c in choices]
        if any(c.points < 1 for c in checked) or not checked:
            raise ValidationError({"choices": _("Give each chosen project at least one point.")})
        most = edition.max_points_per_project
        if most and any(c.points > most for c in checked):
            raise ValidationError({"choices": _("At most %(n)s points per project.") % {"n": most}})
        total = edition.max_points_total
        if total and sum(c.points for c in checked) > total:
            raise ValidationError({"choices": _("At most %(n)s points in all.") % {"n": total}})
    else:
        checked = [Choice(projects[c["project"]], rank=c.get("rank")) for c in choices]
        _count_check(edition, len(checked))
        if sorted(c.rank or 0 for c in checked) != list(range(1, len(checked) + 1)):
            raise ValidationError(
                {"choices": _("Rank the chosen projects 1, 2, 3… each rank once.")}
            )
    return checked


def choices_write(ballot: Ballot, checked: list[Choice]) -> None:
    """The ballot's choices, replacing those it held."""
    ballot.choices.all().delete()
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, project=c.project, points=c.points, rank=c.rank)
        for c in checked
    )


def ballot_cast(
    *, edition: Edition, user, choices: list[dict], declarations: Declarations
) -> Ballot:
    """Cast the voter's ballot, or replace its choices when they voted already."""
    with transaction.atomic():
        if not vote_open(edition):
            raise VoteClosed({"edition": _("The vote of this edition is not open.")})
        district = eligibility_check(edition, declarations)
        checked = choices_check(edition, district, choices)
        participation, created = _participation(edition, user, district, declarations)
        key = voter_key(edition, user)
        # The participation's row lock: the same voter's casts run one after the other.
        Participation.objects.select_for_update().get(pk=participation.pk)
        ballot = Ballot.objects.filter(voter_key=key).first()
        if ballot is None and not created:
            raise VoteClosed({"edition": _("Your ballot was sealed: it may not change now.")})
        if ballot is None:
            ballot = Ballot.objects.create(
                edition=edition, district=district, channel=Ballot.Channel.ONLINE, voter_key=key
            )
        elif ballot.district_id != getattr(district, "pk", None):
            ballot.district = district
            ballot.save(update_fields=["district"])
        choices_write(ballot, checked)
        return ballot


def _participation(edition: Edition, user, district, declarations: Declarations):
    fields = {"district": district, "age_declared": bool(declarations.of_age)}
    try:
        # get_or_create's savepoint: a concurrent first cast of the same voter waits on
        # the unique index, then this one finds its row.
        participation, created = Participation.objects.get_or_create(
            edition=edition, user=user, defaults=fields
        )
    except IntegrityError:
        participation, created = Participation.objects.get(edition=edition, user=user), False
    if not created and (
        participation.district_id != getattr(district, "pk", None)
        or participation.age_declared != fields["age_declared"]
    ):
        Participation.objects.filter(pk=participation.pk).update(**fields)
    return participation, created


def ballot_seal(edition: Edition) -> int:
    """Erase the voter keys of the edition's ballots (when the vote closes): from then on
    nothing links a ballot to a person, and no ballot can change. How many were sealed.

    Erasing the keys is not enough: ballots and participations were numbered in the same
    order (each cast writes both), so their ids would still pair them. The keyed ballots
    are written again, in a random order, and the old rows deleted: the new ids (and the
    choices' ids) follow no voter's order."""
    with transaction.atomic():
        keyed = list(
            edition.ballots.exclude(voter_key="").select_for_update().prefetch_related("choices")
        )
        secrets.SystemRandom().shuffle(keyed)
        fresh = Ballot.objects.bulk_create(
            Ballot(edition=edition, district_id=old.district_id, channel=old.channel, voter_key="")
            for old in keyed
        )
        choices = [
            BallotChoice(ballot=new, project_id=c.project_id, points=c.points, rank=c.rank)
            for old, new in zip(keyed, fresh, strict=True)
            for c in old.choices.all()
        ]
        secrets.SystemRandom().shuffle(choices)
        BallotChoice.objects.bulk_create(choices)
        Ballot.objects.filter(pk__in=[old.pk for old in keyed]).delete()
        return len(keyed)


def ballots_seal_closed(*, now=None) -> int:
    """Seal the ballots of every edition whose vote has ended (beat runs it hourly, so a
    key outlives the vote by an hour at most). How many ballots were sealed."""
    now = now or timezone.now()
    ended = EditionPhase.objects.filter(kind=EditionPhase.Kind.VOTE, ends_at__lt=now)
    editions = Edition.objects.filter(
        pk__in=ended.values("edition_id"), ballots__voter_key__gt=""
    ).distinct()
    return sum(ballot_seal(edition) for edition in editions)
