# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalementsConfig(AppConfig):
    name = "carto_concertation.signalements"
    label = "signalements"
    verbose_name = _("Reports about public space")

    def ready(self) -> None:
        from carto_concertation.core.modules import module_register

        from .manifest import SIGNALEMENTS

        module_register(SIGNALEMENTS)
