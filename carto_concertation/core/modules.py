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
    # The account page: each callable (user) -> accounts.panels.AccountPanel or None
    # (the module's links under "My work" and its block of the person's own things).
    account_page: Sequence[Callable[[Any], Any]] = ()


class ModuleAlreadyRegistered(ValueError):
    pass


_registry: dict[str, ModuleManifest] = {}


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
