# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' manifest: all the house needs to know of them (docs/modules.md)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import ModuleManifest

from .permissions import PERMISSIONS

SIGNALEMENTS = ModuleManifest(
    name="signalements",
    label=_("Reports about public space"),
    app_label="signalements",
    permissions=PERMISSIONS,
    urls="carto_concertation.signalements.urls",
)
