# SPDX-License-Identifier: AGPL-3.0-or-later
"""The layer registry as one list: built-in layers and the ones planners uploaded."""

from .models import ContextLayer, LayerStatus, RasterLayer
from .registry import LayerDefinition, built_in_layers

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


def tileset_layers(tileset: str) -> list[LayerDefinition]:
    """The vector layers one tileset serves, in drawing order.

    Built-in tilesets are answered without a query: a tile costs one SQL statement.
    """
    built_in = [layer for layer in built_in_layers() if layer.tileset == tileset]
    if built_in or not tileset.startswith(CONTEXT_PREFIX):
        return built_in
    layer = ContextLayer.objects.filter(
        name=tileset.removeprefix(CONTEXT_PREFIX), status=LayerStatus.READY
    ).first()
    return [_context_definition(layer)] if layer else []


def raster_layer_ready(name: str) -> RasterLayer | None:
    """A published raster layer by its registry name (``raster-<slug>``) or slug."""
    slug = name.removeprefix(RASTER_PREFIX)
    return RasterLayer.objects.filter(name=slug, status=LayerStatus.READY).exclude(cog="").first()
