# SPDX-License-Identifier: AGPL-3.0-or-later
"""The uploaded layers a participatory space shows on its map: the context layers and
raster plans a planner chose for it, in their order.

The choice is the space's (the concertation keeps it, with its order, and its admin page
edits it); the backbone — the style (tiles/styles.py), the legend, the A3 sheet — reads
it here without naming the space's model: the space registers how its choice is read
(``space_layers_reader_register``, from its app's ready()).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .models import ContextLayer, LayerStatus, RasterLayer
from .selectors import CONTEXT_PREFIX, RASTER_PREFIX


@dataclass(frozen=True)
class ChosenLayer:
    """One uploaded layer a space shows: ``kind`` "context" (vector tiles, tileset
    ``name``) or "raster" (PNG tiles, TileJSON at /tiles/raster/<name>.json)."""

    kind: str
    name: str  # the registry's name: context-<slug> or raster-<slug>
    title: str
    geometry_type: str
    attribution: str
    licence: str

    @classmethod
    def of(cls, layer: ContextLayer | RasterLayer) -> "ChosenLayer":
        if isinstance(layer, ContextLayer):
            return cls(
                "context",
                f"{CONTEXT_PREFIX}{layer.name}",
                layer.title,
                layer.geometry_type or "Geometry",
                layer.attribution,
                layer.licence,
            )
        return cls(
            "raster",
            f"{RASTER_PREFIX}{layer.name}",
            layer.title,
            "Raster",
            layer.attribution,
            layer.licence,
        )


def layers_ready(layers: Sequence[ContextLayer | RasterLayer]) -> list[ChosenLayer]:
    """The chosen layers that are published (an upload still processing, or failed, is
    left out; a raster without its cloud-optimized GeoTIFF too)."""
    return [
        ChosenLayer.of(layer)
        for layer in layers
        if layer.status == LayerStatus.READY
        and (isinstance(layer, ContextLayer) or bool(layer.cog))
    ]


# space id -> its chosen layers, in order (the space's own reader).
SpaceLayersReader = Callable[[int], Sequence[ChosenLayer]]
_READERS: list[SpaceLayersReader] = []


def space_layers_reader_register(reader: SpaceLayersReader) -> None:
    if reader not in _READERS:
        _READERS.append(reader)


def space_layers_chosen(space_pk: int) -> list[ChosenLayer]:
    """The published context and raster layers chosen for a space, in their order."""
    return [layer for reader in _READERS for layer in reader(space_pk)]
