# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "carto_concertation.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the module contract's checks)
            cors,  # noqa: F401  (cross-origin reads of the ideas' GeoJSON)
            geojson,  # noqa: F401  (the features' and geometries' OpenAPI schema)
        )
