# SPDX-License-Identifier: AGPL-3.0-or-later
"""Offline packages for workshops without network, built in Celery."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from carto_concertation.core.modules import MapSpace, space_get
from layers.selectors import tileset_layers

from .mbtiles import mbtiles_write
from .switch import space_tileset_declarations

OFFLINE_TILESETS = ("zoning", "communes")


def offline_package_path(job_id: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "offline" / f"{job_id}.mbtiles"


def offline_tilesets(space: MapSpace) -> list[str]:
    """The tilesets an offline package of a space carries: the zoning and the communes,
    then each module's tileset of that space that its declaration takes offline (of the
    modules switched on in the space's territory)."""
    return [
        *OFFLINE_TILESETS,
        *(d.tileset(space.slug) for d in space_tileset_declarations(space) if d.offline),
    ]


def offline_package_build(
    *, concertation_id: int, job_id: str, minzoom: int = 10, maxzoom: int = 16, progress=None
) -> dict:
    """The MBTiles of a space's perimeter: zoning, communes and the modules' tilesets
    (zooms 10–16 by default), the very tiles the server serves. ``concertation_id`` is
    the space's id, under the name the jobs already queued carry."""
    space = space_get(concertation_id)
    if space is None:
        raise LookupError(f"The space {concertation_id} does not exist.")
    layers = [layer for tileset in offline_tilesets(space) for layer in tileset_layers(tileset)]
    target = offline_package_path(job_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    tiles = mbtiles_write(
        target,
        name=_("Offline map of %(concertation)s") % {"concertation": space.title},
        area=space.perimeter,
        layers=layers,
        minzoom=minzoom,
        maxzoom=maxzoom,
        attribution=" ; ".join(dict.fromkeys(layer.attribution for layer in layers)),
        progress=progress or (lambda percent, message: None),
    )
    return {"tiles": tiles, "size_bytes": target.stat().st_size, "file": target.name}
