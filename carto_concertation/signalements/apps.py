# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalementsConfig(AppConfig):
    name = "carto_concertation.signalements"
    label = "signalements"
    verbose_name = _("Reports about public space")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from carto_concertation.core.modules import module_register

        from .changes import follower_saved, report_saved
        from .manifest import SIGNALEMENTS
        from .models import Report, ReportFollower

        module_register(SIGNALEMENTS)
        # Whatever service writes them, the map hears of it (changes.py).
        for signal in (post_save, post_delete):
            signal.connect(report_saved, sender=Report, dispatch_uid="signalements-report-map")
            signal.connect(
                follower_saved, sender=ReportFollower, dispatch_uid="signalements-follower-map"
            )
