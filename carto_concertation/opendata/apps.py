# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "carto_concertation.opendata"
    label = "opendata"
    verbose_name = _("Open data")
