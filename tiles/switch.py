# SPDX-License-Identifier: AGPL-3.0-or-later
"""A space draws the tilesets of the modules it holds and has on in its territory
(MapSpace.modules, which its space lookup answers without them): for any other module it
has no tileset — its tiles and TileJSON answer 404, its style and offline package leave it
out. Adding or removing a module in a space (concertations.services) and switching one
off or on in a territory (territories.services.territory_modules_switch) announce its
tilesets changed, so no cached tile outlives them and the layers read for a tileset's
data version (layers.selectors) are read again."""

from carto_concertation.core.modules import (
    MapSpace,
    TilesetDeclaration,
    modules,
    space_public,
    tileset_owner,
)


def tileset_switched_off(tileset: str) -> bool:
    """A module's tileset of a space that does not hold the module, or whose territory
    has it switched off."""
    owner = tileset_owner(tileset)
    if owner is None:
        return False
    manifest, declaration = owner
    space = space_public(tileset.removeprefix(declaration.prefix))
    return space is not None and manifest.name not in space.modules


def space_tileset_declarations(space: MapSpace) -> list[TilesetDeclaration]:
    """The tileset declarations of the modules the space holds and its territory has on,
    in registration order."""
    return [
        declaration
        for manifest in modules()
        if manifest.tilesets and manifest.name in space.modules
        for declaration in manifest.tilesets
    ]
