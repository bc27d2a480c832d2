# SPDX-License-Identifier: AGPL-3.0-or-later
"""The map workshops module's manifest (core.modules): what it brings to the house."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import ModuleManifest

WORKSHOPS = ModuleManifest(
    name="workshops",
    label=_("Map workshops"),
    app_label="workshops",
    urls="carto_concertation.workshops.urls",
)
