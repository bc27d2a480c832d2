# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes on concertations, one transaction each."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Any

import nh3
from django.contrib.gis.db.models import Union
from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carto_concertation.core.changes import footprint_changed_announce, tileset_changed_announce
from carto_concertation.core.modules import module_get, modules, slug_is_reserved
from carto_concertation.territories.models import Territory
from tiles.warming import REASON_OPENING, tiles_warm_queue

from .models import Concertation, Phase, SpaceModule, Theme

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
    phases: dict[str, tuple[datetime, datetime | None]] | None = None,
    themes: Iterable[tuple[str, str]] = (),
    plui_document=None,
    status: str = Concertation.Status.DRAFT,
    modules: Iterable[str] | None = None,
    **settings: Any,
) -> Concertation:
    """A concertation on a territory; its perimeter defaults to the union of its communes.

    It holds ``modules`` (registered manifest names, in this order; by default those whose
    manifest says ``in_new_spaces``: the ideas map). ``settings`` go to the modules that
    name them in ``instance_settings`` (the ideas' ``accepted_geometries``,
    ``moderation``, ``vote_mode``, ``duplicate_distance_m``); a setting no module takes
    is a TypeError, as an unknown keyword is."""
    names = list(_new_space_modules() if modules is None else modules)
    _settings_check(names, settings)
    if perimeter is None:
        perimeter = _default_perimeter(territory)
    elif perimeter.geom_type == "Polygon":
        perimeter = MultiPolygon(perimeter, srid=perimeter.srid)
    concertation = Concertation(
        territory=territory,
        slug=_space_slug(title),
        title=title.strip(),
        description=nh3.clean(description, tags=DESCRIPTION_TAGS),
        charter=nh3.clean(charter, tags=DESCRIPTION_TAGS),
        perimeter=perimeter,
        plui_document=plui_document,
        status=status,
    )
    concertation.full_clean()
    concertation.save()
    for name in names:
        _module_add(concertation, name, settings)
    for kind, (starts_at, ends_at) in (phases or {}).items():
        Phase.objects.create(
            concertation=concertation, kind=kind, starts_at=starts_at, ends_at=ends_at
        )
    for name, colour in themes:
        Theme.objects.create(concertation=concertation, name=name, colour=colour)
    _tiles_refresh(concertation)
    _tiles_warm_if_opened(concertation, was=None)
    return concertation


@transaction.atomic
def concertation_save(*, concertation: Concertation, user=None) -> Concertation:
    """Save a concertation edited in the admin: sanitised texts, default perimeter; a new
    one holds the modules of a new space, their settings at their defaults. Opened, its
    map's tiles are warmed by a job ``user`` follows."""
    created = concertation.pk is None
    was = (
        None
        if created
        else Concertation.objects.filter(pk=concertation.pk)
        .values_list("status", flat=True)
        .first()
    )
    concertation.description = nh3.clean(concertation.description, tags=DESCRIPTION_TAGS)
    concertation.charter = nh3.clean(concertation.charter, tags=DESCRIPTION_TAGS)
    if not concertation.perimeter:
        concertation.perimeter = _default_perimeter(concertation.territory)
    concertation.full_clean()
    concertation.save()
    if created:
        for name in _new_space_modules():
            _module_add(concertation, name, {})
    _tiles_refresh(concertation)
    _tiles_warm_if_opened(concertation, was=was, user=user)
    return concertation


@transaction.atomic
def space_module_add(
    *,
    concertation: Concertation,
    module: str,
    position: int | None = None,
    settings: Mapping[str, Any] | None = None,
) -> SpaceModule:
    """Add an instance of a registered module to a concertation (last unless ``position``
    is given), with its settings (``settings``, the defaults for the others). A name no
    manifest has, or a module the concertation holds already, is a ValidationError on
    ``module``."""
    instance = _module_add(concertation, module, settings or {}, position=position)
    _settings_check([module], settings or {})
    _tiles_refresh(concertation, [module])
    return instance


@transaction.atomic
def space_module_remove(*, space_module: SpaceModule) -> None:
    """Take a module out of a concertation, with its instance's settings (what residents
    wrote in it stays: the module's rows belong to the concertation)."""
    concertation, module = space_module.concertation, space_module.module
    space_module.delete()
    _tiles_refresh(concertation, [module])


@transaction.atomic
def space_module_move(*, space_module: SpaceModule, position: int) -> SpaceModule:
    """Put a module at this index of its concertation's order (0: first); the others
    keep their order and every position is numbered again from 0."""
    held = [
        m
        for m in SpaceModule.objects.select_for_update()
        .filter(concertation_id=space_module.concertation_id)
        .order_by("position", "pk")
        if m.pk != space_module.pk
    ]
    held.insert(max(0, min(position, len(held))), space_module)
    for index, instance in enumerate(held):
        if instance.position != index or instance is space_module:
            instance.position = index
            instance.save(update_fields=["position"])
    return space_module


def _new_space_modules() -> list[str]:
    return [manifest.name for manifest in modules() if manifest.in_new_spaces]


def _settings_check(names: Iterable[str], settings: Mapping[str, Any]) -> None:
    taken = set().union(*(getattr(module_get(n), "instance_settings", ()) for n in names))
    if unknown := sorted(set(settings) - taken):
        raise TypeError(f"No module of the space takes these settings: {', '.join(unknown)}")


def _module_add(
    concertation: Concertation,
    name: str,
    settings: Mapping[str, Any],
    *,
    position: int | None = None,
) -> SpaceModule:
    manifest = module_get(name)
    if manifest is None:
        raise ValidationError({"module": _("No module is named “%(name)s”.") % {"name": name}})
    if SpaceModule.objects.filter(concertation=concertation, module=name).exists():
        raise ValidationError({"module": _("This concertation holds this module already.")})
    if position is None:
        last = SpaceModule.objects.filter(concertation=concertation).aggregate(last=Max("position"))
        position = 0 if last["last"] is None else last["last"] + 1
    instance = SpaceModule(concertation=concertation, module=name, position=position)
    instance.full_clean()
    instance.save()
    if manifest.instance_setup is not None:
        manifest.instance_setup(
            instance, {k: v for k, v in settings.items() if k in manifest.instance_settings}
        )
    return instance


def _tiles_refresh(concertation: Concertation, names: Iterable[str] | None = None) -> None:
    """The tilesets of its modules (or of these) follow its themes, document, status and
    modules: all of each changes, and each module's site-wide tileset, which draws the features of
    every public space (core.changes; the space names no module): where this space's
    features are when the module says, otherwise all of it."""
    if names is None:
        names = concertation.modules.values_list("module", flat=True)
    for name in names:
        for declaration in getattr(module_get(name), "tilesets", ()):
            tileset_changed_announce(declaration.tileset(concertation.slug))
            if not declaration.site_wide:
                continue
            if declaration.space_footprint is None:
                tileset_changed_announce(declaration.site_tileset)
                continue
            # Its features do not move here: only whether they show.
            footprint = declaration.space_footprint(concertation.pk)
            footprint_changed_announce(declaration.site_tileset, before=footprint, after=footprint)


def _tiles_warm_if_opened(concertation: Concertation, *, was: str | None, user=None) -> None:
    """A concertation that opens has its map's tiles warmed once the opening has
    committed (tiles.warming), so its first residents open no cold map; a warm that
    cannot be queued leaves the opening as it is."""
    if concertation.status != Concertation.Status.OPEN or was == Concertation.Status.OPEN:
        return
    transaction.on_commit(
        partial(
            tiles_warm_queue,
            territory_id=concertation.territory_id,
            reason=REASON_OPENING,
            space_id=concertation.pk,
            user=user,
        )
    )


def _space_slug(title: str) -> str:
    """Its address from its title; a title that would take the site-wide tilesets' suffix
    (core.modules.SITE_WIDE) gets one of its own."""
    slug = slugify(title)[:80]
    return f"{slug}-concertation" if slug_is_reserved(slug) else slug


def _default_perimeter(territory: Territory) -> MultiPolygon:
    perimeter = territory.communes.aggregate(union=Union("geom"))["union"] or territory.geom
    return (
        MultiPolygon(perimeter, srid=perimeter.srid)
        if perimeter.geom_type == "Polygon"
        else perimeter
    )
