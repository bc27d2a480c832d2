# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes on contributions, one transaction each."""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.core.text import plain_text
from carto_concertation.engagement import services as engagement
from carto_concertation.engagement.models import Vote
from carto_concertation.engagement.selectors import account_banned
from carto_concertation.territories.selectors import commune_for_geometry
from plui_documents.selectors import zone_shares

from .changes import contribution_added_announce, contribution_changing
from .geometry import contribution_geometry_check
from .models import Contribution, ContributionZone, IdeasSettings
from .permissions import AUTHOR_EDITABLE, author_check, open_phase_check, signed_in_check
from .photos import MAX_PHOTOS, photo_prepare, photo_store, removed_on_error
from .selectors import PUBLIC_STATUSES, ideas_settings_of
from .tallies import tally


def contribution_locate(*, contribution: Contribution) -> None:
    """Record the commune and the PLUi zones (with shares) of a contribution."""
    contribution.commune = commune_for_geometry(geom=contribution.geom)
    contribution.save(update_fields=["commune"])
    ContributionZone.objects.filter(contribution=contribution).delete()
    ContributionZone.objects.bulk_create(
        ContributionZone(contribution=contribution, zone_id=zone_id, share=share)
        for zone_id, share in zone_shares(geom=contribution.geom)
    )


def _checked_texts(
    *, concertation: Concertation, title: str | None, text: str | None, theme_ids
) -> tuple[dict, dict]:
    """The plain title and text and the themes given (None: unchanged), and the errors."""
    values, errors = {}, {}
    if title is not None:
        values["title"] = plain_text(title)[:140]
        if not values["title"]:
            errors["title"] = _("Give your idea a title.")
    if text is not None:
        values["text"] = plain_text(text)[:5000]
        if not values["text"]:
            errors["text"] = _("Describe your idea.")
    if theme_ids is not None:
        theme_ids = set(theme_ids)
        values["themes"] = list(concertation.themes.filter(pk__in=theme_ids))
        if len(values["themes"]) != len(theme_ids):
            errors["themes"] = _("Choose themes of this concertation.")
    return values, errors


def _first_status(concertation: Concertation, author) -> str:
    """Before-publication moderation: nothing is public until a moderator approves it.
    A banned account's idea waits for the moderators whatever the space's moderation."""
    if ideas_settings_of(
        concertation
    ).moderation == IdeasSettings.Moderation.BEFORE or account_banned(
        user=author, territory_id=concertation.territory_id
    ):
        return Contribution.Status.SUBMITTED
    return Contribution.Status.PUBLISHED


def contribution_create(
    *,
    concertation: Concertation,
    author,
    title: str,
    text: str,
    geometry: GEOSGeometry,
    theme_ids: Iterable[int] = (),
    channel: str = Contribution.Channel.ONLINE,
    photos: Sequence = (),
) -> Contribution:
    """Pin an idea: checked place, plain texts, themes of the concertation, up to three
    checked photos, located. Every check runs before anything is written."""
    signed_in_check(author, _("Sign in to contribute."))
    open_phase_check(concertation, "propose")
    values, errors = _checked_texts(
        concertation=concertation, title=title, text=text, theme_ids=theme_ids
    )
    prepared = []
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(max)s photos per contribution.") % {"max": MAX_PHOTOS}
    else:
        try:
            prepared = [photo_prepare(upload=upload) for upload in photos]
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    stored = contribution_geometry_check(concertation=concertation, geometry=geometry)
    with removed_on_error() as files:
        return _contribution_write(
            concertation=concertation,
            author=author,
            values=values,
            geom=stored,
            channel=channel,
            photos=prepared,
            files=files,
        )


@transaction.atomic
def _contribution_write(
    *, concertation, author, values: dict, geom, channel: str, photos, files: list[str]
) -> Contribution:
    contribution = Contribution.objects.create(
        concertation=concertation,
        title=values["title"],
        text=values["text"],
        geom=geom,
        author=author,
        channel=channel,
        status=_first_status(concertation, author),
    )
    contribution.themes.set(values["themes"])
    contribution_locate(contribution=contribution)
    for prepared in photos:
        photo_store(contribution=contribution, prepared=prepared, stored=files)
    contribution_added_announce(contribution)
    return contribution


@transaction.atomic
def contribution_update(
    *,
    contribution: Contribution,
    user,
    title: str | None = None,
    text: str | None = None,
    theme_ids: Iterable[int] | None = None,
    geometry: GEOSGeometry | None = None,
) -> Contribution:
    """Its author changes an idea during the open phase, before it is studied (None:
    unchanged). Under before-publication moderation it goes back to the moderators."""
    with contribution_changing(contribution.pk) as locked:
        author_check(contribution=locked, user=user)
        concertation = locked.concertation
        values, errors = _checked_texts(
            concertation=concertation, title=title, text=text, theme_ids=theme_ids
        )
        if errors:
            raise ValidationError(errors)
        themes = values.pop("themes", None)
        for field, value in values.items():
            setattr(locked, field, value)
        if geometry is not None:
            locked.geom = contribution_geometry_check(concertation=concertation, geometry=geometry)
        locked.status = _first_status(concertation, user)
        locked.save()
        if themes is not None:
            locked.themes.set(themes)
        if geometry is not None:
            contribution_locate(contribution=locked)
    return locked


@transaction.atomic
def contribution_withdraw(*, contribution: Contribution, user) -> Contribution:
    """Its author withdraws an idea during the open phase, until it is answered."""
    with contribution_changing(contribution.pk) as locked:
        author_check(
            contribution=locked,
            user=user,
            statuses=(*AUTHOR_EDITABLE, Contribution.Status.UNDER_STUDY),
        )
        locked.status = Contribution.Status.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def contribution_relocate(*, contribution_id: int) -> None:
    """Join a contribution again to the current zoning (after a new PLUi version)."""
    with contribution_changing(contribution_id) as contribution:
        contribution_locate(contribution=contribution)


def _apply(contribution_id: int, deltas: Counter) -> None:
    moves = {field: F(field) + delta for field, delta in deltas.items() if delta}
    if moves:
        Contribution.objects.filter(pk=contribution_id).update(**moves)


def _allowed_values(mode: str) -> set[int]:
    return {
        IdeasSettings.VoteMode.SUPPORT: {1},
        IdeasSettings.VoteMode.FOR_AGAINST: {1, -1},
        IdeasSettings.VoteMode.RATING: {-2, -1, 1, 2},
    }[mode]


@transaction.atomic
def vote_cast(*, contribution: Contribution, voter, value: int) -> Vote:
    """Give or change one's opinion; counts stay exact under concurrent votes.

    The row lock on the contribution serialises the votes on it; the unique
    constraint (target, voter) of engagement's votes makes a double vote impossible whatever happens.
    """
    signed_in_check(voter, _("Sign in to vote."))
    # A vote moves the idea's support, not the counts per commune and zone.
    with contribution_changing(contribution.pk, counted=False) as locked:
        if locked.status not in PUBLIC_STATUSES:
            raise ValidationError({"contribution": _("This contribution cannot receive votes.")})
        mode = ideas_settings_of(locked.concertation_id).vote_mode
        if value not in _allowed_values(mode):
            raise ValidationError(
                {"value": _("This vote is not allowed here (%(mode)s).") % {"mode": mode}}
            )
        # A banned account's vote is kept as it gave it, left out of the tallies.
        counted = not account_banned(user=voter, territory_id=locked.concertation.territory_id)
        deltas = tally(mode, value) if counted else Counter()
        vote, previous = engagement.vote_set(
            target=locked, voter=voter, value=value, counted=counted
        )
        if previous is not None:
            deltas.subtract(tally(mode, previous))
        _apply(locked.pk, deltas)
    return vote


@transaction.atomic
def vote_withdraw(*, contribution: Contribution, voter) -> None:
    with contribution_changing(contribution.pk, counted=False) as locked:
        previous = engagement.vote_delete(target=locked, voter=voter)
        if previous is None:
            return
        deltas = Counter()
        deltas.subtract(tally(ideas_settings_of(locked.concertation_id).vote_mode, previous))
        _apply(locked.pk, deltas)


def contribution_capture(
    *,
    concertation: Concertation,
    title: str,
    text: str,
    geometry: GEOSGeometry,
    theme_ids: Iterable[int] = (),
    channel: str = Contribution.Channel.WORKSHOP,
) -> Contribution:
    """Record an idea a relay captured for a participant (workshop tablet, paper map).

    The same checks as online (texts, themes, place in the perimeter) but no author:
    the idea is shown as an anonymous participant's. Whether it may still be captured
    (the workshops' own window around the contributions phase) is the caller's check.
    """
    values, errors = _checked_texts(
        concertation=concertation, title=title, text=text, theme_ids=theme_ids
    )
    if channel not in (Contribution.Channel.WORKSHOP, Contribution.Channel.PAPER):
        errors["channel"] = _("A captured idea comes from a workshop or a paper map.")
    if errors:
        raise ValidationError(errors)
    stored = contribution_geometry_check(concertation=concertation, geometry=geometry)
    return _contribution_write(
        concertation=concertation,
        author=None,
        values=values,
        geom=stored,
        channel=channel,
        photos=(),
        files=[],
    )


@transaction.atomic
def ideas_settings_create(space_module, values: Mapping[str, Any]) -> IdeasSettings:
    """The settings of a new ideas map in a concertation (the manifest's ``instance_setup``):
    the values given, the defaults for the others; a ValidationError names the field."""
    settings = IdeasSettings(space_module=space_module, **values)
    if "accepted_geometries" in values:
        settings.accepted_geometries = list(values["accepted_geometries"])
    return ideas_settings_save(settings=settings)


@transaction.atomic
def ideas_settings_save(*, settings: IdeasSettings) -> IdeasSettings:
    """Save the settings of an ideas map (the admin's form): at least one kind of place."""
    settings.full_clean()
    if not settings.accepted_geometries:
        raise ValidationError({"accepted_geometries": _("Accept at least one kind of geometry.")})
    settings.save()
    return settings
