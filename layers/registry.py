# SPDX-License-Identifier: AGPL-3.0-or-later
"""The one list of the map's layers, read by the tile service and the open-data exports.

Layers backed by a table of the code (zones, prescriptions, communes…) register here
from their app's ``ready()``; layers that planners upload (context vector layers,
raster plans) are rows of ``layers.models`` and join the list in ``layer_list()``.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise

from carto_concertation.core.modules import tileset_declaration


@dataclass(frozen=True)
class LayerDefinition:
    name: str  # unique, also the MVT layer name: "zones", "communes", "context-zac"
    # A lazy translation, left out of equality and hashing: hashing a definition (the
    # tile statement is memoised per tuple of layers) would translate it on every tile.
    title: str | Promise = field(compare=False)
    kind: str  # "vector" or "raster"
    geometry_type: str  # "MultiPolygon", "MultiLineString", "Point", "Geometry", "Raster"
    fields: tuple[str, ...]  # the public properties, nothing else leaves the server
    minzoom: int
    maxzoom: int
    attribution: str
    table: str = ""  # the database table holding the features
    where: str = ""  # SQL condition selecting the published rows (e.g. current versions)
    licence: str = "Licence Ouverte 2.0"
    tileset: str = ""  # the vector tileset serving it (one tile may carry several layers)
    properties_column: str = ""  # a JSON column holding the fields, for uploaded layers
    # A SQL query giving the rows (id, the fields, geom_3857) instead of ``table``: for
    # dynamic layers such as the contributions of a concertation or their counts per
    # zone. It may use the tile filters' parameters (tiles.filters).
    source: str = ""
    # The source's geometry is simplified already (generalised): drawn without ST_Simplify.
    simplified: bool = False
    # Below zoom 12, sources to read instead, per band: (the band's last zoom, a ``source``
    # query whose rows also carry ``tile_geom``, the geometry generalised for that band and
    # already in the tile's coordinates, as ST_AsMVTGeom would give it), by increasing
    # zoom (tiles.mvt).
    small_scale_sources: tuple[tuple[int, str], ...] = ()
    # The source gives ``tile_geom``, drawn as it is (set by tiles.mvt.at_zoom).
    in_tile_coordinates: bool = False
    # Fields whose values are numbers (the others are strings), for TileJSON.
    numeric_fields: tuple[str, ...] = ()
    # The URL filters this layer takes: (name, allowed values); no values = a date.
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()


class LayerAlreadyRegistered(ValueError):
    pass


_BUILT_IN: dict[str, LayerDefinition] = {}
# The same tuple for every tile of a built-in tileset: the tile endpoint keeps what it
# derives from a tileset's layers (its statement per zoom) while they are the same object.
_BUILT_IN_TILESETS: dict[str, tuple[LayerDefinition, ...]] = {}


def register(definition: LayerDefinition) -> LayerDefinition:
    if definition.name in _BUILT_IN and _BUILT_IN[definition.name] != definition:
        raise LayerAlreadyRegistered(definition.name)
    _BUILT_IN[definition.name] = definition
    if definition.tileset:
        _BUILT_IN_TILESETS[definition.tileset] = tuple(
            layer for layer in _BUILT_IN.values() if layer.tileset == definition.tileset
        )
    return definition


def field_types(layer: LayerDefinition) -> dict[str, str]:
    """The fields as TileJSON and MBTiles metadata describe them."""
    return {
        field: "Number" if field in layer.numeric_fields else "String" for field in layer.fields
    }


def built_in_layers() -> list[LayerDefinition]:
    return list(_BUILT_IN.values())


def built_in_tileset(tileset: str) -> tuple[LayerDefinition, ...]:
    """The layers of a tileset made by the code (no query, no data version)."""
    return _BUILT_IN_TILESETS.get(tileset, ())


# Tilesets made per object (e.g. ``contributions-<concertation slug>``): the function giving
# the layers of one name (an empty list when there is no such object).
TilesetProvider = Callable[[str], Sequence[LayerDefinition]]


def tileset_provider(tileset: str) -> TilesetProvider | None:
    """The provider of a tileset made per object: a participation module declares it in its
    manifest (core.modules.TilesetDeclaration), found here by the name's prefix."""
    declaration = tileset_declaration(tileset)
    return declaration.layers if declaration else None
