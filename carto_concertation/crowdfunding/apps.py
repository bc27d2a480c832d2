# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrowdfundingConfig(AppConfig):
    name = "carto_concertation.crowdfunding"
    label = "crowdfunding"
    verbose_name = _("Crowdfunding")

    def ready(self) -> None:
        from carto_concertation.core.modules import module_register

        from .manifest import CROWDFUNDING

        module_register(CROWDFUNDING)
