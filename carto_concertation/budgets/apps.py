# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "carto_concertation.budgets"
    label = "budgets"
    verbose_name = _("Participatory budget")

    def ready(self) -> None:
        from carto_concertation.core.modules import module_register

        from .manifest import BUDGETS

        module_register(BUDGETS)
