# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes on contributions, one transaction each."""

from collections.abc import Iterable

import nh3
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.selectors import contributions_are_open
from carto_concertation.territories.selectors import commune_for_geometry
from plui_documents.selectors import zone_shares

from .geometry import contribution_geometry_check
from .models import Contribution, ContributionZone


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
