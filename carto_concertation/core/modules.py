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

Each slot is a plain value or a callable given by dotted path or by reference; an empty
slot means the module brings nothing of that kind. ``docs/modules.md`` is the checklist.
Core imports no domain package, so the slots are typed loosely here and precisely in the
package that reads them.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class NotificationKind:
    """A kind of e-mail a module sends; each person accepts or refuses it on their page."""

    key: str
    label: str | Promise
    default: bool = True


@dataclass(frozen=True)
class TilesetDeclaration:
    """A module's vector tiles: the tilesets whose name starts with ``prefix``.

    ``layers(tileset) -> [LayerDefinition]`` answers for one tileset name (layers.registry),
    ``style(request, space) -> (sources, layers)`` gives its part of the MapLibre style, and
    ``offline`` says whether the offline package of a space carries it.
    """

    prefix: str
    layers: Callable[[str], Sequence[Any]]
    style: Callable[..., tuple[dict, list[dict]]] | None = None
    offline: bool = False


@dataclass(frozen=True)
class HomeSection:
    """What a space or a module shows on the home page: ``template`` rendered with
    ``context(request)``, in registration order, above the territories."""

    template: str
    context: Callable[[HttpRequest], Mapping[str, Any]]


@dataclass(frozen=True)
class DemoBackbone:
    """What a space's or a module's demo builds on: the backbone's demo (site.demo)."""

    # The demo territory (territories.Territory), its PLUi loaded; None when another
    # territory was there first: a module then adds nothing.
    territory: Any
    # The demo account (accounts.User) of each role (accounts.Role).
    accounts: Mapping[str, Any]
    # The demo accounts' password (DEBUG only), for the accounts a module adds.
    password: str | None


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
    # Dotted path of a URL module: ``api_patterns`` (included under /api/v1/, namespace
    # "api", before the API router's routes), ``api_routes`` ((prefix, viewset, basename)
    # registered on the API router, so that the API root lists them) and ``page_patterns``
    # (included at the site's root, after the backbone's: the module mounts its own prefix
    # and namespace). Each name is optional.
    urls: str | None = None
    # load_demo: demo(backbone) writes the module's demo once, in a transaction of its own,
    # after the backbone's and in registration order; it answers the line load_demo
    # prints, None when it added nothing.
    demo: Callable[[DemoBackbone], str | None] | None = None
    home: HomeSection | None = None
    # The account page: each callable (user) -> accounts.panels.AccountPanel or None
    # (the module's links under "My work" and its block of the person's own things).
    account_page: Sequence[Callable[[Any], Any]] = ()


@dataclass(frozen=True)
class SpaceManifest:
    """A kind of participatory space (the concertation): where the modules take place.

    A space is composed like a module — its URLs, its home section, its demo — but it is no
    module: it brings no tileset, e-mail or personal data of its own and is not switched
    off, so the readers of ``modules()`` do not see it (Decidim registers its spaces apart
    from its components too).
    """

    name: str
    label: str | Promise
    app_label: str
    # The three slots read as a module's (ModuleManifest).
    urls: str | None = None
    demo: Callable[[DemoBackbone], str | None] | None = None
    home: HomeSection | None = None


class ModuleAlreadyRegistered(ValueError):
    pass


_registry: dict[str, ModuleManifest] = {}
_spaces: dict[str, SpaceManifest] = {}


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
