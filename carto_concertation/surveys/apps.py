# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "carto_concertation.surveys"
    label = "surveys"
    verbose_name = _("Consultation")

    def ready(self) -> None:
        from carto_concertation.core.modules import module_register

        from .manifest import SURVEYS

        module_register(SURVEYS)
