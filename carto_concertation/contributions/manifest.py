# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas module's manifest (core.modules): what it brings to the house."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import (
    FigureDeclaration,
    ModuleManifest,
    NotificationKind,
    TilesetDeclaration,
)

from .account import account_panel
from .audit import AUDIT_ACTIONS
from .datasets import IDEAS as IDEAS_DATASET
from .demo import ideas_demo_load
from .figures import ideas_per_commune, ideas_per_zone
from .map_page import ideas_map_page
from .map_style import contribution_style
from .models import IDEAS_MODULE
from .moderation.backoffice import COMMENTS as MODERATED_COMMENTS
from .moderation.backoffice import IDEAS as MODERATED_IDEAS
from .permissions import PERMISSIONS, PHASES
from .personal_data import (
    comments_section,
    contributions_section,
    follows_section,
    reports_section,
    votes_section,
)
from .processing import PROCESSING
from .search import ideas_search
from .selectors import public_ideas_in_commune
from .services import contribution_capture, ideas_settings_create
from .space import IdeasSpaceSettingsSerializer, ideas_space_entry, ideas_space_settings
from .tiles import TILESET_PREFIX, contribution_tileset_layers, space_footprint

IDEAS = ModuleManifest(
    name=IDEAS_MODULE,
    label=_("Ideas on the map"),
    app_label="contributions",
    phases=PHASES,
    permissions=PERMISSIONS,
    engagement_models=("contributions.Contribution",),
    tilesets=(
        TilesetDeclaration(
            prefix=TILESET_PREFIX,
            layers=contribution_tileset_layers,
            style=contribution_style,
            offline=True,
            site_wide=True,
            space_footprint=space_footprint,
        ),
    ),
    datasets=(IDEAS_DATASET,),
    figures=(
        FigureDeclaration(
            "contributions",
            _("Contributions"),
            per_zone=ideas_per_zone,
            per_commune=ideas_per_commune,
        ),
    ),
    notification_kinds=(
        NotificationKind("answer", _("the collectivité's answers to my contributions")),
        NotificationKind("reply", _("replies to my comments")),
        NotificationKind("moderation", _("moderation decisions on what I wrote")),
        NotificationKind("follow", _("answers and news of the ideas I follow")),
    ),
    urls="carto_concertation.contributions.urls",
    demo=ideas_demo_load,
    personal_data=(
        contributions_section,
        comments_section,
        votes_section,
        reports_section,
        follows_section,
    ),
    personal_data_description=_("your contributions, comments, votes and reports"),
    processing=PROCESSING,
    # Nothing to do on account deletion: every key to the person (author, voter, reporter,
    # moderation actor) is SET_NULL, so what they published stays, signed by nobody.
    on_account_deletion=(),
    account_page=(account_panel,),
    # What the workshops call: a captured idea becomes a contribution, and the printed
    # map numbers the public ideas of a commune.
    services={
        "capture": contribution_capture,
        "public_ideas_in_commune": public_ideas_in_commune,
    },
    # Every new concertation holds an ideas map; its settings are the ideas' own.
    in_new_spaces=True,
    instance_settings=frozenset(
        {"accepted_geometries", "moderation", "vote_mode", "duplicate_distance_m"}
    ),
    instance_setup=ideas_settings_create,
    space_settings=ideas_space_settings,
    space_settings_schema=IdeasSpaceSettingsSerializer,
    space_entry=ideas_space_entry,
    space_page=ideas_map_page,
    # The moderators' back office and the report page: the ideas and the comments on them.
    moderation=(MODERATED_IDEAS, MODERATED_COMMENTS),
    search=ideas_search,
    audit_actions=AUDIT_ACTIONS,
)
