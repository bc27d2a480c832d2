# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's manifest: all the house needs to know of it (docs/modules.md)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.budgets import MODULE
from carto_concertation.core.modules import (
    HomeSection,
    ModuleManifest,
    NotificationKind,
    TilesetDeclaration,
    space_draws_nothing,
)

from .account import account_panel, editions_panel, home_context, space_entry
from .audit import AUDIT_ACTIONS
from .datasets import PROJECTS
from .demo import budgets_demo
from .map_style import project_style
from .permissions import PERMISSIONS
from .personal_data import projects_section, supports_section
from .processing import PROCESSING
from .search import projects_search
from .tiles import TILESET_PREFIX, project_tileset_layers

BUDGETS = ModuleManifest(
    name=MODULE,
    label=_("Participatory budget"),
    app_label="budgets",
    permissions=PERMISSIONS,
    urls="carto_concertation.budgets.urls",
    # An edition is the territory's, not a debate's: a space takes the module on purpose.
    in_new_spaces=False,
    # Projects part: the map of the projects, their dataset, search, home, account, data.
    tilesets=(
        TilesetDeclaration(
            prefix=TILESET_PREFIX,
            layers=project_tileset_layers,
            style=project_style,
            site_wide=True,
            # The published editions' projects, whatever the spaces (tiles.site_layers).
            space_footprint=space_draws_nothing,
        ),
    ),
    datasets=(PROJECTS,),
    search=projects_search,
    home=HomeSection(template="budgets/projects/home_section.html", context=home_context),
    personal_data=(projects_section, supports_section),
    personal_data_description=_("the participatory budget projects you proposed or support"),
    processing=PROCESSING,
    space_entry=space_entry,
    account_page=(account_panel, editions_panel),
    # Follow-up part: the winners' news to their followers, and the demo.
    notification_kinds=(
        NotificationKind("budget_project_news", _("news of the budget projects I follow")),
    ),
    demo=budgets_demo,
    audit_actions=AUDIT_ACTIONS,
)
