# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TilesConfig(AppConfig):
    name = "tiles"
    label = "tiles"
    verbose_name = _("Map tiles")

    def ready(self) -> None:
        from carto_concertation.core.changes import tileset_changed

        from .invalidation import tileset_change_apply

        tileset_changed.connect(tileset_change_apply, dispatch_uid="tiles-cache")

        from plui_documents.signals import version_made_current

        from .warming import plan_current_warm

        version_made_current.connect(plan_current_warm, dispatch_uid="tiles-warm-plan")
