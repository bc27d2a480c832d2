# SPDX-License-Identifier: AGPL-3.0-or-later
"""The contract of a participation module: one manifest, registered at start-up.

A participation module (ideas, workshops, and later signalements, budgets, surveys,
crowdfunding) is a Django app whose ``AppConfig.ready()`` calls ``module_register`` with
its ``ModuleManifest``. The backbone — the tile service, the map style, the offline
package, the dashboard, "download my data" and account deletion, the notification
preferences, the home page, ``urls.py`` and ``load_demo`` — reads the registry and names no
module, as Decidim's component manifests and adhocracy4's modules are read.

Each slot is a plain value or a callable given by dotted path or by reference; an empty
slot means the module brings nothing of that kind. ``docs/modules.md`` is the checklist.
Core imports no domain package, so the slots are typed loosely here and precisely in the
package that reads them.

The map of a space. A module's ``TilesetDeclaration`` gives the layers of its tilesets
(``<prefix><space slug>``), its part of the space's MapLibre style (a ``StylePart``) and
whether the offline package carries it; the filters its layers take are named by the
house's vocabulary (``core.filters.VOCABULARY``, ``LayerDefinition.filters``). The
participatory space itself is not a module: the app that owns spaces registers once a
``SpaceLookup`` (``space_lookup_register``), two functions answering a ``MapSpace`` — the
few facts the style and the offline package need (slug, title, territory, perimeter,
zoning, theme colours) — for a public space by slug and for any space by id. ``tiles``
reads ``space_public`` / ``space_get`` and the declarations, and names neither the space's
model nor any module; with no space app installed, both answer None (no style, 404).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class NotificationKind:
    """A kind of e-mail a module sends; each person accepts or refuses it on their page."""

    key: str
    label: str | Promise
    default: bool = True


@dataclass(frozen=True)
class MapSpace:
    """What the map of a participatory space — its style, its offline package — knows of
    it, whatever model holds it."""

    pk: int
    slug: str
    title: str
    territory_id: int
    perimeter: Any  # a GEOS (multi)polygon in settings.SRID
    zoning: bool  # a PLU/PLUi is attached: its zoning is drawn under the modules' layers
    themes: tuple[tuple[int, str], ...] = ()  # (id, colour) of its themes, in their order


@dataclass(frozen=True)
class SpaceLookup:
    """How the backbone finds a space: ``public(slug)`` among those residents see (the
    style, the offline package's request), ``get(pk)`` whatever its status (a package's
    job started earlier). Each answers None when there is no such space."""

    public: Callable[[str], MapSpace | None]
    get: Callable[[int], MapSpace | None]


@dataclass(frozen=True)
class StylePart:
    """A module's part of a space's MapLibre style (version 8): its sources, its layers
    (drawn above the backbone's, in registration order) and keys of the style's metadata."""

    sources: Mapping[str, dict]
    layers: Sequence[dict]
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TilesetDeclaration:
    """A module's vector tiles: the tilesets whose name starts with ``prefix``, one per
    space (``prefix + slug``).

    ``layers(tileset) -> [LayerDefinition]`` answers for one tileset name (layers.registry;
    none for an unknown name), ``style(space, tilejson_url) -> StylePart`` gives its part of
    the space's MapLibre style (the URL is its tileset's TileJSON), and ``offline`` says
    whether the offline package of a space carries it.
    """

    prefix: str
    layers: Callable[[str], Sequence[Any]]
    style: Callable[[MapSpace, str], StylePart] | None = None
    offline: bool = False

    def tileset(self, space_slug: str) -> str:
        return f"{self.prefix}{space_slug}"


@dataclass(frozen=True)
class ModuleManifest:
    """What one participation module brings to the house (see the module docstring)."""

    name: str
    label: str | Promise
    app_label: str
    # Phase kind → the features it enables (e.g. {"ideas": {"contribute", "vote"}}).
    phases: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Named permissions (django-rules predicates), registered under "<app_label>.<name>".
    permissions: Mapping[str, Any] = field(default_factory=dict)
    # Models ("app_label.Model") that take comments, reports, votes and moderation.
    engagement_models: Sequence[str] = ()
    tilesets: Sequence[TilesetDeclaration] = ()
    notification_kinds: Sequence[NotificationKind] = ()
    # "Download my data": each callable (user) -> accounts.export.ExportSection.
    personal_data: Sequence[Callable[[Any], Any]] = ()
    # Account deletion: each callable (user) runs before the account's row goes.
    on_account_deletion: Sequence[Callable[[Any], None]] = ()
    # Dotted path of a module with ``api_patterns`` (under /api/v1/) and ``page_patterns``.
    urls: str | None = None
    # load_demo: called once, after the backbone's demo, in registration order.
    demo: Callable[[], None] | None = None


class ModuleAlreadyRegistered(ValueError):
    pass


_registry: dict[str, ModuleManifest] = {}
# The one SpaceLookup, once registered (a list, so that registering needs no ``global``).
_space_lookup: list[SpaceLookup] = []


def module_register(manifest: ModuleManifest) -> ModuleManifest:
    """Add a module to the house (from its AppConfig.ready()); a name is taken once."""
    if manifest.name in _registry and _registry[manifest.name] != manifest:
        raise ModuleAlreadyRegistered(manifest.name)
    _registry[manifest.name] = manifest
    return manifest


def module_unregister(name: str) -> None:
    """Take a module out (tests that register a module of their own)."""
    _registry.pop(name, None)


def modules() -> list[ModuleManifest]:
    """Every registered module, in registration order (INSTALLED_APPS order)."""
    return list(_registry.values())


def module_get(name: str) -> ModuleManifest | None:
    return _registry.get(name)


def notification_kinds() -> list[NotificationKind]:
    """Every module's kinds of e-mail, in registration order."""
    return [kind for manifest in modules() for kind in manifest.notification_kinds]


def tileset_declarations() -> list[TilesetDeclaration]:
    return [tileset for manifest in modules() for tileset in manifest.tilesets]


def tileset_declaration(tileset: str) -> TilesetDeclaration | None:
    """The declaration whose prefix starts this tileset name, if any."""
    return next((d for d in tileset_declarations() if tileset.startswith(d.prefix)), None)


def space_lookup_register(lookup: SpaceLookup) -> SpaceLookup:
    """Say how spaces are found (from the space app's AppConfig.ready(); once)."""
    _space_lookup[:] = [lookup]
    return lookup


def space_public(slug: str) -> MapSpace | None:
    """A space residents see, by its slug (None: no such space, or no space app)."""
    return _space_lookup[0].public(slug) if _space_lookup else None


def space_get(pk: int) -> MapSpace | None:
    """A space by its id, whatever its status."""
    return _space_lookup[0].get(pk) if _space_lookup else None
