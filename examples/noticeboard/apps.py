# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticeboardConfig(AppConfig):
    name = "examples.noticeboard"
    label = "noticeboard"
    verbose_name = _("Notice board (example module)")

    def ready(self) -> None:
        from carto_concertation.core.modules import module_register

        from .manifest import NOTICEBOARD

        module_register(NOTICEBOARD)
