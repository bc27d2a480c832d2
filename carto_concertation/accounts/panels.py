# SPDX-License-Identifier: AGPL-3.0-or-later
"""A person's account page, as the participation modules fill it.

Each module declares in its manifest (``account_page``) callables ``(user) ->
AccountPanel | None``: the links to its tools the person opens (under "My work") and a
block of the person's own things, rendered from the module's template. The page shows
them in registration order and names no module.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template import Template
from django.utils.functional import Promise

from carto_concertation.core.modules import modules
from carto_concertation.territories.selectors import module_enabled_somewhere

from .selectors import territory_ids_of


@dataclass(frozen=True)
class AccountLink:
    label: str | Promise
    url: str


@dataclass(frozen=True)
class AccountPanel:
    links: Sequence[AccountLink] = ()
    # A template (its name, or a Template) rendered inside the page with ``items`` in its
    # context; None: no block.
    template: str | Template | None = None
    items: Any = field(default_factory=list)


def account_panels(*, user) -> list[AccountPanel]:
    """The modules' panels, but for a module switched off in every territory the person
    acts in (accounts.selectors.territory_ids_of; every territory, when none in particular)."""
    where = territory_ids_of(user=user)
    return [
        panel
        for manifest in modules()
        if manifest.account_page and module_enabled_somewhere(manifest.name, where)
        for build in manifest.account_page
        if (panel := build(user)) is not None
    ]
