# SPDX-License-Identifier: AGPL-3.0-or-later
"""The agents' writes on an edition: its creation, settings (rules and envelope), phases,
districts and publication. Each is one transaction; bad input raises a ValidationError
naming the field, and nothing is written; a person without ``budgets.run`` on the
edition's territory gets a PermissionDenied."""

from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carto_concertation.core.audit import audit_record
from carto_concertation.core.modules import slug_is_reserved

from ..models import District, Edition, EditionPhase, Project
from .district_files import districts_read

# What an agent may set on an edition (the rest is the house's: territory, slug, dates).
SETTINGS_FIELDS = (
    "title",
    "year",
    "description",
    "envelope",
    "split_by_district",
    "ballot_type",
    "min_choices",
    "max_choices",
    "within_envelope",
    "max_points_per_project",
    "max_points_total",
    "counting_rule",
    "satisfaction",
    "mes_comparison",
    "minimum_age",
    "address_in_district_required",
)
# The fields that decide how ballots are cast and counted: frozen once the vote opened,
# or the ballots already cast would be counted under rules their voters never saw.
RULE_FIELDS = frozenset(SETTINGS_FIELDS) - {"title", "description"}
PHASE_ORDER = [kind for kind, _label in EditionPhase.Kind.choices]
# No commune's budget comes near a thousand billion euros: beyond, it is a typing error
# (and beyond a bigint, a database error).
MAX_EUROS = 10**12


def require_run(edition: Edition, user) -> None:
    """Only the territory's planners (and administrators) run an edition."""
    if user is None or not user.has_perm("budgets.run", edition):
        raise PermissionDenied(_("Only the planners of the territory may run this edition."))


def vote_opened(edition: Edition) -> bool:
    """The vote phase has begun (its start is past): the rules are the voters' now."""
    return edition.phases.filter(
        kind=EditionPhase.Kind.VOTE, starts_at__lte=timezone.now()
    ).exists()


def _check_rules(edition: Edition, *, district_envelopes: Mapping[int, int] | None = None) -> None:
    """The settings hold together; every fault under its field, all at once."""
    errors: dict[str, str] = {}
    approval = edition.ballot_type == Edition.BallotType.APPROVAL
    if not edition.title.strip():
        errors["title"] = _("Give the edition a title.")
    if not edition.envelope:
        errors["envelope"] = _("The envelope must be more than 0 euros.")
    elif edition.envelope > MAX_EUROS:
        errors["envelope"] = _("The envelope cannot exceed %(max)s euros.") % {"max": MAX_EUROS}
    if edition.max_choices and edition.max_choices < edition.min_choices:
        errors["max_choices"] = _(
            "The maximum number of choices (%(max)s) is below the minimum (%(min)s)."
        ) % {"max": edition.max_choices, "min": edition.min_choices}
    if edition.within_envelope and not approval:
        errors["within_envelope"] = _(
            "Only an approval ballot can require its choices to fit in the envelope."
        )
    if edition.ballot_type == Edition.BallotType.CUMULATIVE and not edition.max_points_total:
        errors["max_points_total"] = _("A cumulative ballot needs points to share.")
    if (
        edition.max_points_per_project
        and edition.max_points_total
        and edition.max_points_per_project > edition.max_points_total
    ):
        errors["max_points_per_project"] = _(
            "A project cannot receive more points than there are to share."
        )
    if edition.split_by_district and edition.pk:
        envelopes = (
            district_envelopes
            if district_envelopes is not None
            else dict(edition.districts.values_list("pk", "envelope"))
        )
        if not envelopes:
            errors["split_by_district"] = _(
                "An envelope split per district needs districts: import them first."
            )
        elif any(value is None for value in envelopes.values()):
            errors["split_by_district"] = _("Give every district its envelope.")
        elif sum(envelopes.values()) != edition.envelope:
            errors["split_by_district"] = _(
                "The districts' envelopes add up to %(sum)s €, not the edition's %(envelope)s €."
            ) % {"sum": sum(envelopes.values()), "envelope": edition.envelope}
    elif edition.split_by_district:
        errors["split_by_district"] = _(
            "An envelope split per district needs districts: create the edition, import "
            "its districts, then split the envelope."
        )
    if errors:
        raise ValidationError(errors)


def _unique_slug(title: str, year: int) -> str:
    # "Budget 2027" of 2027 is "budget-2027", not "budget-2027-2027".
    named = title if str(year) in title else f"{title}-{year}"
    base = slugify(named)[:70] or f"budget-{year}"
    slug, n = base, 2
    while slug_is_reserved(slug) or Edition.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(edition: Edition, fields: Mapping[str, Any]) -> None:
    unknown = sorted(set(fields) - set(SETTINGS_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: _("This setting does not exist.")})
    for name, value in fields.items():
        setattr(edition, name, value)


@transaction.atomic
def edition_create(*, territory, user, **fields: Any) -> Edition:
    """A new, unpublished edition of ``territory``; its districts and phases come next."""
    edition = Edition(territory=territory, is_published=False)
    require_run(edition, user)
    _apply(edition, fields)
    if not edition.year:
        edition.year = timezone.localdate().year
    _check_rules(edition)
    edition.slug = _unique_slug(edition.title, edition.year)
    edition.full_clean()
    edition.save()
    return edition


@transaction.atomic
def edition_update(edition: Edition, *, user, **fields: Any) -> Edition:
    """Change the settings; the rules no longer change once the vote has opened."""
    require_run(edition, user)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    changed = {name for name, value in fields.items() if getattr(edition, name, value) != value}
    frozen = sorted(changed & RULE_FIELDS)
    if frozen and vote_opened(edition):
        raise ValidationError(
            {frozen[0]: _("The vote has opened: the rules of the edition no longer change.")}
        )
    _apply(edition, fields)
    _check_rules(edition)
    edition.full_clean()
    edition.save()
    return edition


@transaction.atomic
def district_envelopes_set(edition: Edition, envelopes: Mapping[int, int], *, user) -> Edition:
    """Share the envelope between the districts (``{district pk: euros}``, every one)."""
    require_run(edition, user)
    if vote_opened(edition):
        raise ValidationError({"envelopes": _("The vote has opened: the envelopes are fixed.")})
    known = set(edition.districts.values_list("pk", flat=True))
    if set(envelopes) != known:
        raise ValidationError(
            {"envelopes": _("Give an envelope to every district, and only them.")}
        )
    if any(value is None or not 0 <= value <= MAX_EUROS for value in envelopes.values()):
        raise ValidationError(
            {"envelopes": _("An envelope is a whole number of euros, 0 or more.")}
        )
    _check_rules(edition, district_envelopes=envelopes)
    for pk, value in envelopes.items():
        District.objects.filter(pk=pk).update(envelope=value)
    return edition


def _phase_rows(phases: Iterable[Mapping[str, Any]]) -> list[EditionPhase]:
    rows = [
        EditionPhase(kind=p.get("kind"), starts_at=p.get("starts_at"), ends_at=p.get("ends_at"))
        for p in phases
    ]
    if sorted(row.kind for row in rows) != sorted(PHASE_ORDER) or len(rows) != 5:
        raise ValidationError(
            {
                "phases": _("Give the five phases, once each: %(kinds)s.")
                % {"kinds": ", ".join(PHASE_ORDER)}
            }
        )
    rows.sort(key=lambda row: PHASE_ORDER.index(row.kind))
    for row in rows:
        if row.starts_at is None:
            raise ValidationError(
                {
                    "phases": _("The phase “%(kind)s” needs a start.")
                    % {"kind": row.get_kind_display()}
                }
            )
        if row.ends_at is None and row.kind != EditionPhase.Kind.REALISATION:
            raise ValidationError(
                {
                    "phases": _("The phase “%(kind)s” needs an end.")
                    % {"kind": row.get_kind_display()}
                }
            )
        if row.ends_at is not None and row.ends_at <= row.starts_at:
            raise ValidationError(
                {
                    "phases": _("The phase “%(kind)s” ends before it starts.")
                    % {"kind": row.get_kind_display()}
                }
            )
    for before, after in pairwise(rows):
        if after.starts_at < before.ends_at:
            raise ValidationError(
                {
                    "phases": _(
                        "The phase “%(after)s” starts before the phase “%(before)s” ends: phases follow one another without overlapping."
                    )
                    % {"after": after.get_kind_display(), "before": before.get_kind_display()}
                }
            )
    return rows


@transaction.atomic
def edition_phases_set(
    edition: Edition, phases: Iterable[Mapping[str, Any]], *, user
) -> list[EditionPhase]:
    """Replace the edition's calendar: the five phases, in order, none overlapping the next.
    Once the vote has opened its start (and what came before) no longer moves."""
    require_run(edition, user)
    rows = _phase_rows(phases)
    current = {p.kind: p for p in edition.phases.all()}
    if vote_opened(edition):
        for row in rows[: PHASE_ORDER.index(EditionPhase.Kind.VOTE) + 1]:
            old = current.get(row.kind)
            if old is None or old.starts_at != row.starts_at:
                raise ValidationError(
                    {
                        "phases": _(
                            "The vote has opened: its start and the earlier phases no longer move."
                        )
                    }
                )
    edition.phases.all().delete()
    for row in rows:
        row.edition = edition
        row.save()
    return rows


@transaction.atomic
def edition_publish(edition: Edition, *, user) -> Edition:
    """Make the edition public: its rules must hold and its five phases be set."""
    require_run(edition, user)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    _check_rules(edition)
    if edition.phases.count() != len(PHASE_ORDER):
        raise ValidationError({"phases": _("Set the five phases before publishing the edition.")})
    edition.is_published = True
    edition.save(update_fields=["is_published", "updated_at"])
    audit_record("budgets.edition_published", edition, actor=user, territory=edition.territory_id)
    return edition


def districts_replace(edition: Edition, rows: list[District]) -> list[District]:
    """Put ``rows`` in place of the edition's districts (inside the caller's transaction),
    and file each project in the district of its place again."""
    if vote_opened(edition):
        raise ValidationError({"file": _("The vote has opened: the districts no longer change.")})
    names = [row.name for row in rows]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ValidationError(
            {
                "name_field": _("Two districts have the same name: %(names)s.")
                % {"names": ", ".join(twice)}
            }
        )
    edition.districts.all().delete()
    for row in rows:
        row.edition = edition
        row.save()
    # Each project in the (first) district its place touches, none when outside them all.
    projects = Project.objects.filter(edition=edition)
    projects.update(district=None)
    for district in rows:
        projects.filter(district__isnull=True, geom__intersects=district.geom).update(
            district=district
        )
    if edition.split_by_district:
        # The old shares are gone with the old districts: the agent shares it again.
        Edition.objects.filter(pk=edition.pk).update(split_by_district=False)
        edition.split_by_district = False
    return rows


@transaction.atomic
def districts_from_communes(edition: Edition, *, user) -> list[District]:
    """One district per commune of the territory, named and coded after it."""
    require_run(edition, user)
    rows = [
        District(name=commune.name, code=commune.insee, geom=commune.geom)
        for commune in edition.territory.communes.order_by("name")
    ]
    if not rows:
        raise ValidationError({"file": _("The territory has no commune to make districts of.")})
    return districts_replace(edition, rows)


def districts_import(edition: Edition, uploaded_file, name_field: str, *, user) -> list[District]:
    """The districts of a vector file (GeoJSON, GeoPackage, zipped Shapefile, any CRS),
    named after ``name_field``, in place of the edition's (see district_files.py)."""
    require_run(edition, user)
    rows = districts_read(edition, uploaded_file, name_field)
    with transaction.atomic():
        return districts_replace(edition, rows)
