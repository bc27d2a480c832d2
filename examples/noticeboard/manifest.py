# SPDX-License-Identifier: AGPL-3.0-or-later
"""The notice board's manifest: all the house needs to know of it (docs/modules.md)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.accounts.processing import PUBLIC_INTEREST, kept_anonymous_after_account
from carto_concertation.core.modules import (
    FigureDeclaration,
    ModuleManifest,
    ProcessingDeclaration,
    TilesetDeclaration,
)

from .datasets import NOTICES
from .demo import noticeboard_demo
from .figures import notices_per_commune, notices_per_zone
from .map_style import notice_style
from .personal_data import notices_section
from .tiles import TILESET_PREFIX, notice_tileset_layers

NOTICEBOARD = ModuleManifest(
    name="noticeboard",
    label=_("Notice board"),
    app_label="noticeboard",
    # Every new space holds a notice board (it has no settings of its own).
    in_new_spaces=True,
    tilesets=(
        TilesetDeclaration(
            prefix=TILESET_PREFIX, layers=notice_tileset_layers, style=notice_style, offline=True
        ),
    ),
    datasets=(NOTICES,),
    figures=(
        FigureDeclaration(
            "notices",
            _("Notices"),
            per_zone=notices_per_zone,
            per_commune=notices_per_commune,
        ),
    ),
    personal_data=(notices_section,),
    personal_data_description=_("your notices"),
    # The record of processing and the privacy notice: what it keeps of a person.
    processing=(
        ProcessingDeclaration(
            key="noticeboard",
            name=_("Notice board"),
            data=_("Notices (text, place) with the pseudonym of their author."),
            purpose=_("Let residents post notices on the map of a space."),
            legal_basis=PUBLIC_INTEREST,
            recipients=_("Public: the notices, under their author's pseudonym."),
            retention=kept_anonymous_after_account,
        ),
    ),
    # Nothing to do: the author key is SET_NULL, the notices stay signed by nobody.
    on_account_deletion=(),
    urls="examples.noticeboard.urls",
    demo=noticeboard_demo,
)
