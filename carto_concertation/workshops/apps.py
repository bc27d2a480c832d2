# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "carto_concertation.workshops"
    label = "workshops"
    verbose_name = _("Map workshops")

    def ready(self) -> None:
        from carto_concertation.core.modules import module_register

        from .manifest import WORKSHOPS

        module_register(WORKSHOPS)
