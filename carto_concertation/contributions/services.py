# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes on contributions, one transaction each."""

from collections import Counter
from collections.abc import Iterable

import nh3
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.selectors import contributions_are_open
from carto_concertation.territories.selectors import commune_for_geometry
from plui_documents.selectors import zone_shares

from .geometry import contribution_geometry_check
from .models import Contribution, ContributionZone, Vote
from .selectors import PUBLIC_STATUSES


def _plain(text: str) -> str:
    """Texts are stored as plain text: any HTML is removed, so nothing can run."""
    return nh3.clean(text, tags=set()).strip()


def contribution_locate(*, contribution: Contribution) -> None:
    """Record the commune and the PLUi zones (with shares) of a contribution."""
    contribution.commune = commune_for_geometry(geom=contribution.geom)
    contribution.save(update_fields=["commune"])
    ContributionZone.objects.filter(contribution=contribution).delete()
    ContributionZone.objects.bulk_create(
        ContributionZone(contribution=contribution, zone_id=zone_id, share=share)
        for zone_id, share in zone_shares(geom=contribution.geom)
    )


@transaction.atomic
def contribution_create(
    *,
    concertation: Concertation,
    author,
    title: str,
    text: str,
    geometry: GEOSGeometry,
    theme_ids: Iterable[int] = (),
    channel: str = Contribution.Channel.ONLINE,
) -> Contribution:
    """Pin an idea: checked place, plain texts, themes of the concertation, located."""
    if author is None or not author.is_authenticated:
        raise PermissionDenied(_("Sign in to contribute."))
    if not contributions_are_open(concertation=concertation):
        raise ValidationError(
            {"concertation": _("This concertation does not take contributions now.")}
        )
    errors = {}
    title, text = _plain(title), _plain(text)
    if not title:
        errors["title"] = _("Give your idea a title.")
    if not text:
        errors["text"] = _("Describe your idea.")
    theme_ids = set(theme_ids)
    themes = list(concertation.themes.filter(pk__in=theme_ids))
    if len(themes) != len(theme_ids):
        errors["themes"] = _("Choose themes of this concertation.")
    if errors:
        raise ValidationError(errors)
    stored = contribution_geometry_check(concertation=concertation, geometry=geometry)
    contribution = Contribution.objects.create(
        concertation=concertation,
        title=title[:140],
        text=text[:5000],
        geom=stored,
        author=author,
        channel=channel,
        status=(
            Contribution.Status.SUBMITTED
            if concertation.moderation == Concertation.Moderation.BEFORE
            else Contribution.Status.PUBLISHED
        ),
    )
    contribution.themes.set(themes)
    contribution_locate(contribution=contribution)
    return contribution


def _tally(mode: str, value: int) -> Counter:
    """How one vote moves the counters."""
    if mode == Concertation.VoteMode.RATING:
        return Counter(rating_sum=value, rating_count=1)
    return Counter(votes_for=1) if value > 0 else Counter(votes_against=1)


def _apply(contribution_id: int, deltas: Counter) -> None:
    moves = {field: F(field) + delta for field, delta in deltas.items() if delta}
    if moves:
        Contribution.objects.filter(pk=contribution_id).update(**moves)


def _allowed_values(mode: str) -> set[int]:
    return {
        Concertation.VoteMode.SUPPORT: {1},
        Concertation.VoteMode.FOR_AGAINST: {1, -1},
        Concertation.VoteMode.RATING: {-2, -1, 1, 2},
    }[mode]


@transaction.atomic
def vote_cast(*, contribution: Contribution, voter, value: int) -> Vote:
    """Give or change one's opinion; counts stay exact under concurrent votes.

    The row lock on the contribution serialises the votes on it; the unique
    constraint (contribution, voter) makes a double vote impossible whatever happens.
    """
    if voter is None or not voter.is_authenticated:
        raise PermissionDenied(_("Sign in to vote."))
    locked = (
        Contribution.objects.select_for_update()
        .select_related("concertation")
        .get(pk=contribution.pk)
    )
    if locked.status not in PUBLIC_STATUSES:
        raise ValidationError({"contribution": _("This contribution cannot receive votes.")})
    mode = locked.concertation.vote_mode
    if value not in _allowed_values(mode):
        raise ValidationError(
            {"value": _("This vote is not allowed here (%(mode)s).") % {"mode": mode}}
        )
    deltas = _tally(mode, value)
    vote = Vote.objects.filter(contribution=locked, voter=voter).first()
    if vote:
        deltas.subtract(_tally(mode, vote.value))
        vote.value = value
        vote.save(update_fields=["value"])
    else:
        vote = Vote.objects.create(contribution=locked, voter=voter, value=value)
    _apply(locked.pk, deltas)
    return vote


@transaction.atomic
def vote_withdraw(*, contribution: Contribution, voter) -> None:
    locked = (
        Contribution.objects.select_for_update()
        .select_related("concertation")
        .get(pk=contribution.pk)
    )
    vote = Vote.objects.filter(contribution=locked, voter=voter).first()
    if vote is None:
        return
    vote.delete()
    deltas = Counter()
    deltas.subtract(_tally(locked.concertation.vote_mode, vote.value))
    _apply(locked.pk, deltas)
