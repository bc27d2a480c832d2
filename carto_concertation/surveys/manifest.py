# SPDX-License-Identifier: AGPL-3.0-or-later
"""The consultation's manifest: all the house needs to know of it (docs/modules.md)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import (
    HomeSection,
    ModuleManifest,
    TilesetDeclaration,
    space_draws_nothing,
)
from carto_concertation.surveys import MODULE

from .account import home_context, organiser_panel, responses_panel, space_entry
from .audit import AUDIT_ACTIONS
from .datasets import RESULTS_PER_ZONE
from .demo import surveys_demo
from .permissions import PERMISSIONS
from .personal_data import responses_section
from .processing import PROCESSING
from .search import questionnaires_search
from .services.accounts import responses_forget
from .tiles import TILESET_PREFIX, zone_result_tileset_layers

SURVEYS = ModuleManifest(
    name=MODULE,
    label=_("Consultation"),
    app_label="surveys",
    permissions=PERMISSIONS,
    urls="carto_concertation.surveys.urls",
    # A questionnaire is put on a concertation or a territory on purpose.
    in_new_spaces=False,
    # Listing part: the list, the home page, the space's page, the account, the data.
    home=HomeSection(template="surveys/listing/home_section.html", context=home_context),
    space_entry=space_entry,
    account_page=(responses_panel, organiser_panel),
    personal_data=(responses_section,),
    personal_data_description=_(
        "your answers to the questionnaires, with what you drew on their maps"
    ),
    processing=PROCESSING,
    on_account_deletion=(responses_forget,),
    search=questionnaires_search,
    demo=surveys_demo,
    datasets=(RESULTS_PER_ZONE,),
    # Its results per zone, drawn site-wide only (OGC API – Tiles): no space's map.
    tilesets=(
        TilesetDeclaration(
            prefix=TILESET_PREFIX,
            layers=zone_result_tileset_layers,
            site_wide=True,
            # The published results, whether or not the questionnaire is on a
            # concertation (tiles.site_layers).
            space_footprint=space_draws_nothing,
        ),
    ),
    audit_actions=AUDIT_ACTIONS,
)
