# SPDX-License-Identifier: AGPL-3.0-or-later
"""Offline packages for workshops without network, built in Celery."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from carto_concertation.territories.models import Territory
from layers.selectors import tileset_layers

from .mbtiles import mbtiles_write

OFFLINE_TILESETS = ("zoning", "communes")


def offline_package_path(job_id: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "offline" / f"{job_id}.mbtiles"


def offline_package_build(
    *, territory_id: int, job_id: str, minzoom: int = 10, maxzoom: int = 16, progress=None
) -> dict:
    """The MBTiles of a territory's zoning and communes (zooms 10–16 by default)."""
    territory = Territory.objects.get(pk=territory_id)
    layers = [layer for tileset in OFFLINE_TILESETS for layer in tileset_layers(tileset)]
    target = offline_package_path(job_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    tiles = mbtiles_write(
        target,
        name=_("Offline map of %(territory)s") % {"territory": territory.name},
        area=territory.geom,
        layers=layers,
        minzoom=minzoom,
        maxzoom=maxzoom,
        attribution=" ; ".join(dict.fromkeys(layer.attribution for layer in layers)),
        progress=progress or (lambda percent, message: None),
    )
    return {"tiles": tiles, "size_bytes": target.stat().st_size, "file": target.name}
