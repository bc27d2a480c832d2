# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "carto_concertation.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from carto_concertation.core.changes import tileset_changed
        from plui_documents.signals import version_made_current

        from .tasks import plan_made_current_receiver, tileset_changed_receiver

        # An import makes the open files stale: refreshed by the next check (tasks.py).
        tileset_changed.connect(tileset_changed_receiver, dispatch_uid="opendata-files")
        # A plan's import announces only its footprint on the zoning tiles, not a whole
        # change: it is heard here.
        version_made_current.connect(plan_made_current_receiver, dispatch_uid="opendata-plans")
