# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every write that changes the published results per zone announces the site-wide
tileset changed (core.changes), whatever service made it: the models' signals are
connected in apps.py, so no write path can forget.

The results are counts over every submitted response of a questionnaire, drawn on its
zones: a response saved or deleted changes them only when the questionnaire shows its
results (a draft's answers are not counted, and no write on a hidden questionnaire shows);
a questionnaire saved or deleted may show or withdraw its results; a question or a choice
changes how they are named only where they show; a new zoning (the backbone announces
its footprint on its tileset) changes the zones there."""

from carto_concertation.core.changes import (
    Area,
    Footprint,
    TilesetChange,
    footprint_changed_announce,
    tileset_changed_announce,
)
from plui_documents.signals import ZONING_TILESET

from .models import Choice, Question, Questionnaire, Response
from .tiles import MAXZOOM, MINZOOM, SITE_TILESET


def _announced_where_shown(**questionnaire_lookup) -> None:
    shown = Questionnaire.objects.filter(
        is_published=True, results_published=True, **questionnaire_lookup
    ).exists()
    if shown:
        tileset_changed_announce(SITE_TILESET)


def questionnaire_changed(sender, instance: Questionnaire, **kwargs) -> None:
    """post_save and post_delete of a questionnaire: its results may have appeared or gone
    (the state before the write is not at hand, so every write announces)."""
    tileset_changed_announce(SITE_TILESET)


def question_changed(sender, instance: Question, **kwargs) -> None:
    """post_save and post_delete of a question: its label names published results."""
    _announced_where_shown(pages=instance.page_id)


def choice_changed(sender, instance: Choice, **kwargs) -> None:
    """post_save and post_delete of a choice: its label names published results."""
    _announced_where_shown(pages__questions=instance.question_id)


def response_saved(sender, instance: Response, **kwargs) -> None:
    """post_save and post_delete of a response: counted when its results show."""
    _announced_where_shown(pk=instance.questionnaire_id)


def zoning_changed(sender, change: TilesetChange, **kwargs) -> None:
    """core.changes.tileset_changed: a new version of a PLU/PLUi redraws the zones, the
    results' tiles under its footprint (its territory's only) at their own zooms."""
    if change.tileset != ZONING_TILESET:
        return
    if change.whole:
        tileset_changed_announce(SITE_TILESET)
        return
    footprint_changed_announce(
        SITE_TILESET, before=_at_results_zooms(change.before), after=_at_results_zooms(change.after)
    )


def _at_results_zooms(footprint: Footprint) -> Footprint:
    zooms = range(MINZOOM, MAXZOOM + 1)
    return tuple(Area(bboxes=area.bboxes, zooms=zooms) for area in footprint)
