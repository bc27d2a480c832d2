# SPDX-License-Identifier: AGPL-3.0-or-later
"""Offline packages for workshops without network, built in Celery."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.tiles import contribution_tileset
from layers.selectors import tileset_layers

from .mbtiles import mbtiles_write

OFFLINE_TILESETS = ("zoning", "communes")


def offline_package_path(job_id: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "offline" / f"{job_id}.mbtiles"


def offline_package_build(
    *, concertation_id: int, job_id: str, minzoom: int = 10, maxzoom: int = 16, progress=None
) -> dict:
    """The MBTiles of a concertation's perimeter: zoning, communes and contributions
    (zooms 10–16 by default), the very tiles the server serves."""
    concertation = Concertation.objects.get(pk=concertation_id)
    tilesets = (*OFFLINE_TILESETS, contribution_tileset(concertation.slug))
    layers = [layer for tileset in tilesets for layer in tileset_layers(tileset)]
    target = offline_package_path(job_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    tiles = mbtiles_write(
        target,
        name=_("Offline map of %(concertation)s") % {"concertation": concertation.title},
        area=concertation.perimeter,
        layers=layers,
        minzoom=minzoom,
        maxzoom=maxzoom,
        attribution=" ; ".join(dict.fromkeys(layer.attribution for layer in layers)),
        progress=progress or (lambda percent, message: None),
    )
    return {"tiles": tiles, "size_bytes": target.stat().st_size, "file": target.name}
