# SPDX-License-Identifier: AGPL-3.0-or-later
"""The consultation's manifest: all the house needs to know of it (docs/modules.md)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import ModuleManifest

from .permissions import PERMISSIONS

SURVEYS = ModuleManifest(
    name="surveys",
    label=_("Consultation"),
    app_label="surveys",
    permissions=PERMISSIONS,
    urls="carto_concertation.surveys.urls",
    # A questionnaire is put on a concertation or a territory on purpose.
    in_new_spaces=False,
)
