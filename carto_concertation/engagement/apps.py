# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "carto_concertation.engagement"
    label = "engagement"
    verbose_name = _("Engagement")
