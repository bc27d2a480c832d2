# SPDX-License-Identifier: AGPL-3.0-or-later
"""The concertation, the participatory space, as the composition root reads it
(core.modules.SpaceManifest): its pages and API, and its list on the home page."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import HomeSection, SpaceLookup, SpaceManifest

from .selectors import (
    concertation_map_space,
    concertation_map_space_public,
    concertation_public_list,
)
from .services import space_module_add


def module_add(slug: str, module: str) -> None:
    """core.modules.space_module_add for a concertation residents see."""
    space_module_add(concertation=concertation_public_list().get(slug=slug), module=module)


def home_context(request: HttpRequest) -> Mapping[str, Any]:
    return {"concertations": concertation_public_list().order_by("status", "-created_at")}


CONCERTATIONS = SpaceManifest(
    name="concertations",
    label=_("Concertations"),
    app_label="concertations",
    urls="carto_concertation.concertations.urls",
    home=HomeSection(template="concertations/home_section.html", context=home_context),
    # The map's style and offline package find a concertation through core.modules.
    lookup=SpaceLookup(
        public=concertation_map_space_public,
        get=concertation_map_space,
        in_territory=lambda pk: (
            concertation_public_list().filter(territory=pk).values_list("slug", flat=True)
        ),
        module_add=module_add,
    ),
)
