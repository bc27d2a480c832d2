# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's manifest: all the house needs to know of it (docs/modules.md)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import ModuleManifest, NotificationKind

from .demo import crowdfunding_demo
from .permissions import PERMISSIONS

CROWDFUNDING = ModuleManifest(
    name="crowdfunding",
    label=_("Crowdfunding"),
    app_label="crowdfunding",
    permissions=PERMISSIONS,
    urls="carto_concertation.crowdfunding.urls",
    # A portal of the territory's projects, not a debate's: a space takes it on purpose.
    in_new_spaces=False,
    notification_kinds=(
        NotificationKind(
            "crowdfunding_project_news", _("news of the crowdfunding projects I follow")
        ),
    ),
    # Demo part: a handful of projects in every state on the demo territory.
    demo=crowdfunding_demo,
)
