# SPDX-License-Identifier: AGPL-3.0-or-later
"""A space draws the tilesets of the modules it holds (MapSpace.modules), where they are
switched on: a module a space does not hold, or one switched off in its territory
(territories.selectors.module_enabled), has no tileset there — its tiles and TileJSON
answer 404, the space's style and offline package leave it out. Adding or removing a
module in a space announces its tilesets changed (concertations.services). The switch announces those tilesets
changed (territories.services.territory_modules_switch), so no cached tile outlives it and
the layers read for a tileset's data version (layers.selectors) are read again."""

from carto_concertation.core.modules import (
    MapSpace,
    TilesetDeclaration,
    modules,
    space_public,
    tileset_owner,
)
from carto_concertation.territories.selectors import module_enabled


def _drawn(module: str, space: MapSpace) -> bool:
    return module in space.modules and module_enabled(module, space.territory_id)


def tileset_switched_off(tileset: str) -> bool:
    """A module's tileset of a space that does not hold the module, or whose territory
    has it switched off."""
    owner = tileset_owner(tileset)
    if owner is None:
        return False
    manifest, declaration = owner
    space = space_public(tileset.removeprefix(declaration.prefix))
    return space is not None and not _drawn(manifest.name, space)


def space_tileset_declarations(space: MapSpace) -> list[TilesetDeclaration]:
    """The tileset declarations of the modules the space holds and its territory has on,
    in registration order."""
    return [
        declaration
        for manifest in modules()
        if manifest.tilesets and _drawn(manifest.name, space)
        for declaration in manifest.tilesets
    ]
