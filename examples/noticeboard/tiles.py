# SPDX-License-Identifier: AGPL-3.0-or-later
"""The notices of a space as a vector tileset (``notices-<space slug>``)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import space_public
from layers.registry import LayerDefinition

from .datasets import NOTICES

TILESET_PREFIX = "notices-"


def notice_tileset(space_slug: str) -> str:
    return f"{TILESET_PREFIX}{space_slug}"


def notice_tileset_layers(tileset: str) -> list[LayerDefinition]:
    """The tileset provider (core.modules.TilesetDeclaration.layers): one layer for a
    space residents see, none for any other name. Its fields are all that leaves the
    server: the text and the day, never the author."""
    space = space_public(tileset.removeprefix(TILESET_PREFIX))
    if space is None:
        return []
    return [
        LayerDefinition(
            name="notices",
            title=_("Notices"),
            kind="vector",
            geometry_type="Point",
            fields=NOTICES.pick("text", "created"),
            minzoom=10,
            maxzoom=16,
            attribution=str(_("Notices of the participants")),
            licence=settings.OPEN_DATA_LICENCE,
            tileset=tileset,
            # int(): the only value interpolated; no request value reaches this text.
            source=f"""
                SELECT n.id, n.text,
                       to_char(n.created_at AT TIME ZONE '{settings.TIME_ZONE}', 'YYYY-MM-DD')
                           AS created,
                       ST_Transform(n.location, 3857) AS geom_3857
                  FROM noticeboard_notice n
                 WHERE n.space_id = {int(space.pk)}""",  # noqa: S608
        )
    ]
