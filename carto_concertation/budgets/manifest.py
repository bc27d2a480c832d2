# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's manifest: all the house needs to know of it (docs/modules.md)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import ModuleManifest, NotificationKind

from .account import editions_panel
from .demo import budgets_demo
from .permissions import PERMISSIONS

BUDGETS = ModuleManifest(
    name="budgets",
    label=_("Participatory budget"),
    app_label="budgets",
    permissions=PERMISSIONS,
    urls="carto_concertation.budgets.urls",
    # An edition is the territory's, not a debate's: a space takes the module on purpose.
    in_new_spaces=False,
    account_page=(editions_panel,),
    # Follow-up part: the winners' news to their followers, and the demo.
    notification_kinds=(
        NotificationKind("budget_project_news", _("news of the budget projects I follow")),
    ),
    demo=budgets_demo,
)
