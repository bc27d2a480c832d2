# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcertationsConfig(AppConfig):
    name = "carto_concertation.concertations"
    label = "concertations"
    verbose_name = _("Concertations")

    def ready(self) -> None:
        from carto_concertation.core.modules import space_register

        from .manifest import CONCERTATIONS

        space_register(CONCERTATIONS)

        from layers.spaces import space_layers_reader_register

        from .selectors import concertation_map_layers

        # The layers a concertation's map shows, for the style and legend (backbone).
        space_layers_reader_register(concertation_map_layers)
