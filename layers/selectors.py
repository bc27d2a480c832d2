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


def layer_get(name: str) -> LayerDefinition | None:
    return next((layer for layer in layer_list() if layer.name == name), None)
