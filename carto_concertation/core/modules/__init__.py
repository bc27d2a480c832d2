# SPDX-License-Identifier: AGPL-3.0-or-later
"""The contract of a participation module: one manifest, registered at start-up.

A participation module (ideas, workshops, and later signalements, budgets, surveys,
crowdfunding) is a Django app whose ``AppConfig.ready()`` calls ``module_register`` with
its ``ModuleManifest``. The backbone — the tile service, the map style, the offline
package, the dashboard, "download my data" and account deletion, the notification
preferences, the home page, ``urls.py`` and ``load_demo`` — reads the registry and names no
module, as Decidim's component manifests and adhocracy4's modules are read. A kind of
participatory space (the concertation) registers a ``SpaceManifest`` with ``space_register``:
the composition root (``urls.py``, the home page, ``load_demo``) reads ``composed()``.

A space holds modules: each space records its module instances (for the concertation,
``concertations.SpaceModule`` rows naming a registered manifest) and reads the slots
``instance_setup``, ``space_settings`` and ``space_entry`` of the modules it holds, so that
the settings of a module (the ideas' vote mode) live in the module and the space imports
none of them.

Each slot is a plain value or a callable given by dotted path or by reference; an empty
slot means the module brings nothing of that kind. ``docs/modules.md`` is the checklist.
Core imports no domain package, so the slots are typed loosely here and precisely in the
package that reads them.

The map of a space. A module's ``TilesetDeclaration`` gives the layers of its tilesets
(``<prefix><space slug>``), its part of the space's MapLibre style (a ``StylePart``) and
whether the offline package carries it; the filters its layers take are named by the
house's vocabulary (``core.filters.VOCABULARY``, ``LayerDefinition.filters``). The
participatory space itself is not a module: its ``SpaceManifest`` carries a ``SpaceLookup``,
two functions answering a ``MapSpace`` — the
few facts the style and the offline package need (slug, title, territory, perimeter,
zoning, theme colours) — for a public space by slug and for any space by id. ``tiles``
reads ``space_public`` / ``space_get`` and the declarations, and names neither the space's
model nor any module; with no space app installed, both answer None (no style, 404).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import rules
from django.core.exceptions import ImproperlyConfigured

from .declarations import (
    SITE_WIDE,
    DatasetDeclaration,
    DemoBackbone,
    FeatureSource,
    FigureDeclaration,
    HomeSection,
    MapSpace,
    ModuleManifest,
    NotAPublicField,
    NotificationKind,
    ProcessingDeclaration,
    PublicField,
    SpaceLookup,
    SpaceManifest,
    StylePart,
    TilesetDeclaration,
    published_moment,
    slug_is_reserved,
    space_draws_nothing,
)

# The contract's public names: the declarations and the registry's functions.
__all__ = [
    "SITE_WIDE",
    "DatasetDeclaration",
    "DemoBackbone",
    "FeatureSource",
    "FigureDeclaration",
    "HomeSection",
    "MapSpace",
    "ModuleAlreadyRegistered",
    "ModuleManifest",
    "NotAPublicField",
    "NotificationKind",
    "ProcessingDeclaration",
    "PublicField",
    "ServiceMissing",
    "SpaceLookup",
    "SpaceManifest",
    "StylePart",
    "TilesetDeclaration",
    "composed",
    "datasets",
    "missing_requirements",
    "module_get",
    "module_register",
    "module_service",
    "module_unregister",
    "modules",
    "notification_kinds",
    "processing_declarations",
    "published_moment",
    "site_tilesets",
    "slug_is_reserved",
    "space_draws_nothing",
    "space_get",
    "space_module_add",
    "space_public",
    "space_register",
    "space_slugs_in_territory",
    "spaces",
    "tileset_declaration",
    "tileset_declarations",
    "tileset_owner",
]


class ModuleAlreadyRegistered(ValueError):
    pass


class ServiceMissing(LookupError):
    pass


_registry: dict[str, ModuleManifest] = {}
_spaces: dict[str, SpaceManifest] = {}


def module_register(manifest: ModuleManifest) -> ModuleManifest:
    """Add a module to the house (from its AppConfig.ready()); a name is taken once."""
    if manifest.name in _registry and _registry[manifest.name] != manifest:
        raise ModuleAlreadyRegistered(manifest.name)
    drawn = {declaration.site_tileset for declaration in manifest.tilesets}
    if undrawn := [d.name for d in manifest.datasets if d.tileset and d.tileset not in drawn]:
        raise ImproperlyConfigured(
            f"{manifest.name}: the tileset of {', '.join(undrawn)} is no site-wide tileset"
            " of the module's (TilesetDeclaration.site_wide)"
        )
    _registry[manifest.name] = manifest
    for action, predicate in manifest.permissions.items():
        rules.set_perm(f"{manifest.app_label}.{action}", predicate)
    return manifest


def module_unregister(name: str) -> None:
    """Take a module out (tests that register a module of their own)."""
    manifest = _registry.pop(name, None)
    for action in manifest.permissions if manifest else ():
        rules.remove_perm(f"{manifest.app_label}.{action}")


def modules() -> list[ModuleManifest]:
    """Every registered module, in registration order (INSTALLED_APPS order)."""
    return list(_registry.values())


def module_get(name: str) -> ModuleManifest | None:
    return _registry.get(name)


def module_service(module: str, name: str) -> Callable[..., Any]:
    """A service another module declares (``services``): the way one module calls another.
    ServiceMissing when that module is not installed or declares no such service — a
    module that needs another says so in ``requires``, checked at start-up."""
    manifest = _registry.get(module)
    if manifest is None or name not in manifest.services:
        raise ServiceMissing(f"{module}.{name}")
    return manifest.services[name]


def site_tilesets(module: str) -> list[str]:
    """The site-wide tilesets of a module (TilesetDeclaration.site_wide), none for a name
    no module has."""
    manifest = _registry.get(module)
    return [d.site_tileset for d in manifest.tilesets if d.site_wide] if manifest else []


def missing_requirements() -> list[tuple[str, str]]:
    """(module, the module it requires) for every requirement not registered."""
    return [
        (manifest.name, needed)
        for manifest in modules()
        for needed in manifest.requires
        if needed not in _registry
    ]


def notification_kinds() -> list[NotificationKind]:
    """Every module's kinds of e-mail, in registration order."""
    return [kind for manifest in modules() for kind in manifest.notification_kinds]


def processing_declarations() -> list[tuple[ModuleManifest, ProcessingDeclaration]]:
    """Every module's processings of personal data, with the module declaring each."""
    return [(manifest, p) for manifest in modules() for p in manifest.processing]


def space_register(manifest: SpaceManifest) -> SpaceManifest:
    """Add a kind of space (from its AppConfig.ready()); a name is taken once."""
    if manifest.name in _spaces and _spaces[manifest.name] != manifest:
        raise ModuleAlreadyRegistered(manifest.name)
    _spaces[manifest.name] = manifest
    return manifest


def spaces() -> list[SpaceManifest]:
    return list(_spaces.values())


def composed() -> list[SpaceManifest | ModuleManifest]:
    """What the composition root puts together (urls.py, the home page, load_demo): the
    spaces, then the modules, each in registration order."""
    return [*spaces(), *modules()]


def tileset_declarations() -> list[TilesetDeclaration]:
    return [tileset for manifest in modules() for tileset in manifest.tilesets]


def tileset_declaration(tileset: str) -> TilesetDeclaration | None:
    """The declaration whose prefix starts this tileset name, if any."""
    found = tileset_owner(tileset)
    return found[1] if found else None


def tileset_owner(tileset: str) -> tuple[ModuleManifest, TilesetDeclaration] | None:
    """The module whose declaration's prefix starts this tileset name, and the declaration
    (a module switched off in a territory takes away its tilesets of the spaces there)."""
    return next(
        (
            (manifest, declaration)
            for manifest in modules()
            for declaration in manifest.tilesets
            if tileset.startswith(declaration.prefix)
        ),
        None,
    )


def datasets() -> list[tuple[ModuleManifest, DatasetDeclaration]]:
    """Every module's open datasets, with the module declaring each, in registration order."""
    return [(manifest, dataset) for manifest in modules() for dataset in manifest.datasets]


def _space_lookups() -> list[SpaceLookup]:
    return [manifest.lookup for manifest in spaces() if manifest.lookup is not None]


# The spaces read once within space_public_shared(): slug → MapSpace or None.
_spaces_read: ContextVar[dict[str, MapSpace | None] | None] = ContextVar(
    "spaces_read", default=None
)


@contextmanager
def space_public_shared(known: MapSpace | None = None) -> Iterator[None]:
    """Within it, space_public() reads each slug once: the map page asks for its space
    four times (the page, its style, the ideas' and the signalements' layers), four
    queries each. Only around one page's work: a space changed later must be read anew.
    ``known``: a public space the caller read already (the page's own), not read again."""
    token = _spaces_read.set({known.slug: known} if known is not None else {})
    try:
        yield
    finally:
        _spaces_read.reset(token)


def space_public(slug: str) -> MapSpace | None:
    """A space residents see, by its slug (None: no such space, or no space app)."""
    read = _spaces_read.get()
    if read is not None and slug in read:
        return read[slug]
    space = next(filter(None, (lookup.public(slug) for lookup in _space_lookups())), None)
    if read is not None:
        read[slug] = space
    return space


def space_get(pk: int) -> MapSpace | None:
    """A space by its id, whatever its status."""
    return next(filter(None, (lookup.get(pk) for lookup in _space_lookups())), None)


def space_module_add(slug: str, module: str) -> bool:
    """Add a registered module to the public space of this slug, whatever its kind, through
    the space's own service (its checks hold: a ValidationError on ``module`` for a name
    no manifest has or a module it holds already). A module's demo reaches the spaces of
    its territory so, naming none. False when no kind of space has the slug or adds
    modules."""
    for lookup in _space_lookups():
        if lookup.module_add is not None and lookup.public(slug) is not None:
            lookup.module_add(slug, module)
            return True
    return False


def space_slugs_in_territory(territory_id: int) -> list[str]:
    """The slugs of a territory's public spaces, of every kind that can list them."""
    return [
        slug
        for lookup in _space_lookups()
        if lookup.in_territory is not None
        for slug in lookup.in_territory(territory_id)
    ]
