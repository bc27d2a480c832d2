# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' manifest: all the house needs to know of them (docs/modules.md)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import (
    FigureDeclaration,
    HomeSection,
    ModuleManifest,
    NotificationKind,
    TilesetDeclaration,
    space_draws_nothing,
)
from carto_concertation.signalements import MODULE

from .account import account_panel, home_context, reporter_forget, space_entry
from .audit import AUDIT_ACTIONS
from .datasets import REPORTS
from .demo import signalements_demo
from .figures import reports_per_commune, reports_per_zone
from .map_style import report_style
from .permissions import PERMISSIONS
from .personal_data import follows_section, reports_section
from .processing import PROCESSING
from .search import reports_search
from .tiles import TILESET_PREFIX, report_tileset_layers

SIGNALEMENTS = ModuleManifest(
    name=MODULE,
    label=_("Reports about public space"),
    app_label="signalements",
    permissions=PERMISSIONS,
    urls="carto_concertation.signalements.urls",
    tilesets=(
        TilesetDeclaration(
            prefix=TILESET_PREFIX,
            layers=report_tileset_layers,
            style=report_style,
            offline=True,
            site_wide=True,
            # The territory's reports, whatever its spaces (tiles.site_layers).
            space_footprint=space_draws_nothing,
        ),
    ),
    datasets=(REPORTS,),
    figures=(
        FigureDeclaration(
            "signalements",
            _("Reports"),
            per_zone=reports_per_zone,
            per_commune=reports_per_commune,
        ),
    ),
    search=reports_search,
    personal_data=(reports_section, follows_section),
    personal_data_description=_("your reports about public space and those you follow"),
    processing=PROCESSING,
    # The reports stay, signed by nobody (author SET_NULL); follows go with the account
    # (CASCADE); reporter_forget erases the person's addresses the rows still hold.
    on_account_deletion=(reporter_forget,),
    account_page=(account_panel,),
    home=HomeSection(template="signalements/home_section.html", context=home_context),
    space_entry=space_entry,
    # A space takes the module on purpose: reports are the territory's, not a debate's.
    in_new_spaces=False,
    demo=signalements_demo,
    notification_kinds=(
        NotificationKind("report_updates", _("news of the reports I filed or follow")),
        NotificationKind("report_fixed_check", _("“is it fixed?” about the reports I filed")),
    ),
    audit_actions=AUDIT_ACTIONS,
)
