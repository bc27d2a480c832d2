# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcertationsConfig(AppConfig):
    name = "carto_concertation.concertations"
    label = "concertations"
    verbose_name = _("Concertations")

    def ready(self) -> None:
        from carto_concertation.core.modules import SpaceLookup, space_lookup_register

        from .selectors import concertation_map_space, concertation_map_space_public

        # The concertation is the participatory space: the map's style and offline package
        # find it through core.modules, without naming this app.
        space_lookup_register(
            SpaceLookup(public=concertation_map_space_public, get=concertation_map_space)
        )
