# SPDX-License-Identifier: AGPL-3.0-or-later
"""The layer registry as one list: built-in layers and the ones planners uploaded."""

import time
from collections.abc import Sequence

from .models import ContextLayer, LayerStatus, RasterLayer
from .registry import LayerDefinition, built_in_layers, built_in_tileset, tileset_provider

CONTEXT_PREFIX = "context-"
RASTER_PREFIX = "raster-"


def _context_definition(layer: ContextLayer) -> LayerDefinition:
    return LayerDefinition(
        name=f"{CONTEXT_PREFIX}{layer.name}",
        title=layer.title,
        kind="vector",
        geometry_type=layer.geometry_type or "Geometry",
        fields=tuple(layer.fields),
        minzoom=layer.minzoom,
        maxzoom=layer.maxzoom,
        attribution=layer.attribution,
        licence=layer.licence,
        table="layers_contextfeature",
        where=f"layer_id = {int(layer.pk)}",
        tileset=f"{CONTEXT_PREFIX}{layer.name}",
        properties_column="properties",
    )


def _raster_definition(layer: RasterLayer) -> LayerDefinition:
    return LayerDefinition(
        name=f"{RASTER_PREFIX}{layer.name}",
        title=layer.title,
        kind="raster",
        geometry_type="Raster",
        fields=(),
        minzoom=layer.minzoom,
        maxzoom=layer.maxzoom,
        attribution=layer.attribution,
        licence=layer.licence,
    )


def layer_list() -> list[LayerDefinition]:
    """Every published layer, built-in first, then context and raster layers by title."""
    context = ContextLayer.objects.filter(status=LayerStatus.READY).order_by("title")
    rasters = RasterLayer.objects.filter(status=LayerStatus.READY).order_by("title")
    return [
        *built_in_layers(),
        *(_context_definition(layer) for layer in context),
        *(_raster_definition(layer) for layer in rasters),
    ]


def tileset_layers(tileset: str, version: int | None = None) -> Sequence[LayerDefinition]:
    """The vector layers one tileset serves, in drawing order.

    Built-in tilesets are answered without a query; the others (uploaded layers,
    per-concertation tilesets) are read from the database. Given the tileset's data
    version (the tile service's: it moves whenever a write announces that the whole
    tileset changed, which a change of these definitions does), they are read once per
    version and process, so that a tile costs one SQL statement.
    """
    built_in = built_in_tileset(tileset)
    if built_in:
        return built_in
    provider = tileset_provider(tileset)
    if provider is None and not tileset.startswith(CONTEXT_PREFIX):
        return []
    if version is None:
        return provider(tileset) if provider else _context_layers(tileset)
    kept = tileset_layers_kept(tileset, version)
    if kept is not None:
        return kept
    layers = provider(tileset) if provider else _context_layers(tileset)
    if len(_MEMO) > 512:
        _MEMO.clear()
    _MEMO[(tileset, version)] = (time.monotonic() + MEMO_SECONDS, layers)
    return layers


def tileset_layers_kept(tileset: str, version: int) -> Sequence[LayerDefinition] | None:
    """The layers tileset_layers() read for this data version, if still kept (no query,
    no Redis): the tile endpoint knows the version from the read of the tile's cache."""
    found = _MEMO.get((tileset, version))
    if found is not None and found[0] > time.monotonic():
        return found[1]
    return None


# (tileset, version) → (valid until, layers). A change that alters the definitions
# announces the whole tileset changed, which moves its version; the time limit bounds
# what a deletion leaves behind.
_MEMO: dict[tuple[str, int], tuple[float, list[LayerDefinition]]] = {}
MEMO_SECONDS = 60


def _context_layers(tileset: str) -> list[LayerDefinition]:
    layer = ContextLayer.objects.filter(
        name=tileset.removeprefix(CONTEXT_PREFIX), status=LayerStatus.READY
    ).first()
    return [_context_definition(layer)] if layer else []


def raster_layer_ready(name: str) -> RasterLayer | None:
    """A published raster layer by its registry name (``raster-<slug>``) or slug."""
    slug = name.removeprefix(RASTER_PREFIX)
    return RasterLayer.objects.filter(name=slug, status=LayerStatus.READY).exclude(cog="").first()
