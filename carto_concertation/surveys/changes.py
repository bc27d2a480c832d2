# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every write that changes the published results per zone announces the site-wide
tileset changed (core.changes), whatever service made it: the models' signals are
connected in apps.py, so no write path can forget.

The results are counts over every submitted response of a questionnaire, drawn on its
zones: a response saved or deleted changes them only when the questionnaire shows its
results (a draft's answers are not counted, and no write on a hidden questionnaire shows);
a questionnaire, a question or a choice saved or deleted changes what is published or how
it is named; a new zoning (the backbone announces ``zoning``) changes the zones."""

from carto_concertation.core.changes import TilesetChange, tileset_changed_announce

from .models import Questionnaire, Response
from .tiles import SITE_TILESET

ZONING = "zoning"


def results_changed(sender, instance, **kwargs) -> None:
    """post_save and post_delete of a questionnaire, a question or a choice."""
    tileset_changed_announce(SITE_TILESET)


def response_saved(sender, instance: Response, **kwargs) -> None:
    """post_save and post_delete of a response: counted when its results show."""
    shown = Questionnaire.objects.filter(
        pk=instance.questionnaire_id, is_published=True, results_published=True
    ).exists()
    if shown:
        tileset_changed_announce(SITE_TILESET)


def zoning_changed(sender, change: TilesetChange, **kwargs) -> None:
    """core.changes.tileset_changed: a new version of a PLU/PLUi redraws the zones."""
    if change.tileset == ZONING:
        tileset_changed_announce(SITE_TILESET)
