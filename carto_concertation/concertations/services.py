# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes on concertations, one transaction each."""

from collections.abc import Iterable
from datetime import datetime

import nh3
from django.contrib.gis.db.models import Union
from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carto_concertation.contributions.tiles import contribution_tileset
from carto_concertation.core.changes import tileset_changed_announce
from carto_concertation.territories.models import Territory

from .models import Concertation, GeometryKind, Phase, Theme

# What a description may keep: structure and links, nothing that runs.
DESCRIPTION_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}


@transaction.atomic
def concertation_create(
    *,
    territory: Territory,
    title: str,
    description: str = "",
    charter: str = "",
    perimeter: MultiPolygon | None = None,
    accepted_geometries: Iterable[str] = (GeometryKind.POINT, GeometryKind.LINE, GeometryKind.AREA),
    moderation: str = Concertation.Moderation.AFTER,
    vote_mode: str = Concertation.VoteMode.SUPPORT,
    phases: dict[str, tuple[datetime, datetime | None]] | None = None,
    themes: Iterable[tuple[str, str]] = (),
    plui_document=None,
    status: str = Concertation.Status.DRAFT,
) -> Concertation:
    """A concertation on a territory; its perimeter defaults to the union of its communes."""
    if perimeter is None:
        perimeter = _default_perimeter(territory)
    elif perimeter.geom_type == "Polygon":
        perimeter = MultiPolygon(perimeter, srid=perimeter.srid)
    concertation = Concertation(
        territory=territory,
        slug=slugify(title)[:80],
        title=title.strip(),
        description=nh3.clean(description, tags=DESCRIPTION_TAGS),
        charter=nh3.clean(charter, tags=DESCRIPTION_TAGS),
        perimeter=perimeter,
        accepted_geometries=list(accepted_geometries),
        moderation=moderation,
        vote_mode=vote_mode,
        plui_document=plui_document,
        status=status,
    )
    concertation.full_clean()
    if not concertation.accepted_geometries:
        raise ValidationError({"accepted_geometries": _("Accept at least one kind of geometry.")})
    concertation.save()
    for kind, (starts_at, ends_at) in (phases or {}).items():
        Phase.objects.create(
            concertation=concertation, kind=kind, starts_at=starts_at, ends_at=ends_at
        )
    for name, colour in themes:
        Theme.objects.create(concertation=concertation, name=name, colour=colour)
    _tiles_refresh(concertation)
    return concertation


@transaction.atomic
def concertation_save(*, concertation: Concertation) -> Concertation:
    """Save a concertation edited in the admin: sanitised texts, default perimeter."""
    concertation.description = nh3.clean(concertation.description, tags=DESCRIPTION_TAGS)
    concertation.charter = nh3.clean(concertation.charter, tags=DESCRIPTION_TAGS)
    if not concertation.perimeter:
        concertation.perimeter = _default_perimeter(concertation.territory)
    concertation.full_clean()
    concertation.save()
    _tiles_refresh(concertation)
    return concertation


def _tiles_refresh(concertation: Concertation) -> None:
    """Its tileset's layers follow its themes, document and status: all of it changes."""
    tileset_changed_announce(contribution_tileset(concertation.slug))


def _default_perimeter(territory: Territory) -> MultiPolygon:
    perimeter = territory.communes.aggregate(union=Union("geom"))["union"] or territory.geom
    return (
        MultiPolygon(perimeter, srid=perimeter.srid)
        if perimeter.geom_type == "Polygon"
        else perimeter
    )
