# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's manifest: all the house needs to know of it (docs/modules.md)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import (
    HomeSection,
    ModuleManifest,
    NotificationKind,
    TilesetDeclaration,
    space_draws_nothing,
)
from carto_concertation.crowdfunding import MODULE

from .account import account_panel, review_panel
from .audit import AUDIT_ACTIONS
from .datasets import PROJECTS
from .demo import crowdfunding_demo
from .home import home_context, space_entry
from .map_style import project_style
from .permissions import PERMISSIONS
from .personal_data import figures_section, follows_section, news_section, projects_section
from .processing import PROCESSING
from .search import projects_search
from .services.followup import submitted_projects_forget
from .tiles import TILESET_PREFIX, project_tileset_layers

CROWDFUNDING = ModuleManifest(
    name=MODULE,
    label=_("Crowdfunding"),
    app_label="crowdfunding",
    permissions=PERMISSIONS,
    urls="carto_concertation.crowdfunding.urls",
    # A portal of the territory's projects, not a debate's: a space takes it on purpose.
    in_new_spaces=False,
    # Portal part: the map of the projects, their dataset, search, home, a space's entry.
    tilesets=(
        TilesetDeclaration(
            prefix=TILESET_PREFIX,
            layers=project_tileset_layers,
            style=project_style,
            site_wide=True,
            # The territories' projects, whatever the spaces (tiles.project_layers).
            space_footprint=space_draws_nothing,
        ),
    ),
    datasets=(PROJECTS,),
    search=projects_search,
    home=HomeSection(template="crowdfunding/portal/home_section.html", context=home_context),
    space_entry=space_entry,
    notification_kinds=(
        NotificationKind(
            "crowdfunding_project_news", _("news of the crowdfunding projects I follow")
        ),
    ),
    # Demo part: a handful of projects in every state on the demo territory.
    demo=crowdfunding_demo,
    # Followup part: the person's projects and follows, their data, their deletion.
    account_page=(account_panel, review_panel),
    personal_data=(projects_section, follows_section, news_section, figures_section),
    personal_data_description=_(
        "the crowdfunding projects you submitted or follow, the news of their works you wrote"
        " and the figures of their campaigns you typed in"
    ),
    processing=PROCESSING,
    on_account_deletion=(submitted_projects_forget,),
    audit_actions=AUDIT_ACTIONS,
)
