# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "carto_concertation.territories"
    label = "territories"
    verbose_name = _("Territories")

    def ready(self) -> None:
        from . import layers  # noqa: F401  (registers the communes and EPCI layers)
