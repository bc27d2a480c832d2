# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import territories_for_role
from carto_concertation.core.modules import MapSpace, ModuleManifest, module_get
from carto_concertation.territories.selectors import module_on_in
from layers.spaces import ChosenLayer, layers_ready

from .models import Concertation, Phase, SpaceLayer


def concertation_public_list() -> QuerySet[Concertation]:
    """Concertations residents see: every one but drafts; their territory without its
    outline (two polygons parsed on every page for its name and its modules)."""
    return (
        Concertation.objects.exclude(status=Concertation.Status.DRAFT)
        .select_related("territory")
        .defer("territory__geom", "territory__geom_3857")
        .prefetch_related("themes", "phases", "modules")
    )


def concertation_modules(concertation: Concertation) -> list[ModuleManifest]:
    """The manifests of the modules a concertation holds, in its order (a module no
    longer installed is left out); reads the ``modules`` prefetched with the list."""
    held = sorted(concertation.modules.all(), key=lambda m: (m.position, m.pk))
    return [manifest for m in held if (manifest := module_get(m.module)) is not None]


def concertation_modules_on(concertation: Concertation) -> list[ModuleManifest]:
    """The modules it holds that are on in its territory, in its order (its territory is
    read with it: no query more)."""
    return [
        manifest
        for manifest in concertation_modules(concertation)
        if module_on_in(concertation.territory, manifest.name)
    ]


def concertation_module_settings(concertation: Concertation) -> dict[str, Any]:
    """What its modules add to its public description (``space_settings``), in order."""
    merged: dict[str, Any] = {}
    for manifest in concertation_modules(concertation):
        if manifest.space_settings is not None:
            merged.update(manifest.space_settings(concertation))
    return merged


def concertation_module_entries(concertation: Concertation) -> list[tuple[str, str]]:
    """The (label, url) entries of its modules on its page, in order; none for a module
    switched off in its territory."""
    entries = (
        manifest.space_entry(concertation)
        for manifest in concertation_modules_on(concertation)
        if manifest.space_entry is not None
    )
    return [entry for entry in entries if entry is not None]


def _map_space(concertation: Concertation) -> MapSpace:
    return MapSpace(
        pk=concertation.pk,
        slug=concertation.slug,
        title=concertation.title,
        territory_id=concertation.territory_id,
        perimeter=concertation.perimeter,
        zoning=concertation.plui_document_id is not None,
        themes=tuple((theme.pk, theme.colour) for theme in concertation.themes.all()),
        zoning_document_id=concertation.plui_document_id,
        modules=tuple(manifest.name for manifest in concertation_modules_on(concertation)),
    )


def concertation_map_space_of(concertation: Concertation) -> MapSpace | None:
    """What ``concertation_map_space_public`` answers for a concertation read already,
    with its territory, themes and modules (no query): None for a draft."""
    if concertation.status == Concertation.Status.DRAFT:
        return None
    return _map_space(concertation)


def concertation_map_space_public(slug: str) -> MapSpace | None:
    """The map's view of a concertation residents see (core.modules.SpaceLookup)."""
    concertation = concertation_public_list().filter(slug=slug).first()
    return _map_space(concertation) if concertation else None


def concertation_map_space(pk: int) -> MapSpace | None:
    """The map's view of any concertation, by id (an offline package's job)."""
    concertation = (
        Concertation.objects.select_related("territory")
        .prefetch_related("themes", "modules")
        .filter(pk=pk)
        .first()
    )
    return _map_space(concertation) if concertation else None


def contributions_are_open(*, concertation: Concertation, at=None) -> bool:
    """Open status and inside the "contributions" phase."""
    if concertation.status != Concertation.Status.OPEN:
        return False
    at = at or timezone.now()
    return any(
        phase.kind == Phase.Kind.CONTRIBUTIONS and phase.is_current(at)
        for phase in concertation.phases.all()
    )


def space_allows(*, concertation: Concertation, module: str, feature: str, at=None) -> bool:
    """Whether a module's feature is open in the space now: the space is open and one of
    its current phases is of a kind the module's manifest lets do it (``phases``: phase
    kind -> features, e.g. the ideas' {"contributions": {"propose", "comment", "edit"}})."""
    manifest = module_get(module)
    if manifest is None or concertation.status != Concertation.Status.OPEN:
        return False
    at = at or timezone.now()
    return any(
        feature in manifest.phases.get(phase.kind, ()) and phase.is_current(at)
        for phase in concertation.phases.all()
    )


def concertations_planned_by(*, user) -> QuerySet[Concertation]:
    """The concertations whose dashboard a user opens: those of the territories where they
    are a planner (every one for an administrator)."""
    return Concertation.objects.filter(
        territory__in=territories_for_role(user=user, role=Role.PLANNER)
    ).order_by("title")


def concertation_map_layers(concertation_pk: int) -> list[ChosenLayer]:
    """The published context layers and raster plans chosen for a concertation's map, in
    their order (layers.spaces reads them through this for the style, the legend and,
    later, the A3 sheet)."""
    rows = SpaceLayer.objects.filter(concertation_id=concertation_pk).select_related(
        "context_layer", "raster_layer"
    )
    return layers_ready([row.context_layer or row.raster_layer for row in rows])
