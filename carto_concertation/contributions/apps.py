# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "carto_concertation.contributions"
    label = "contributions"
    verbose_name = _("Contributions")
