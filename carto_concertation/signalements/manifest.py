# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' manifest: all the house needs to know of them (docs/modules.md)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import ModuleManifest, NotificationKind

from .permissions import PERMISSIONS

SIGNALEMENTS = ModuleManifest(
    name="signalements",
    label=_("Reports about public space"),
    app_label="signalements",
    permissions=PERMISSIONS,
    urls="carto_concertation.signalements.urls",
    notification_kinds=(
        NotificationKind("report_updates", _("news of the reports I filed or follow")),
        NotificationKind("report_fixed_check", _("“is it fixed?” about the reports I filed")),
    ),
)
