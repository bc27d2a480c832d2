# SPDX-License-Identifier: AGPL-3.0-or-later
"""A participation module switched off in a territory (territories.selectors.module_enabled)
takes its tilesets of that territory's spaces away: their tiles and TileJSON answer 404,
the spaces' style and offline package leave them out. The switch announces those tilesets
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


def tileset_switched_off(tileset: str) -> bool:
    """A module's tileset of a space whose territory has the module switched off."""
    owner = tileset_owner(tileset)
    if owner is None:
        return False
    manifest, declaration = owner
    space = space_public(tileset.removeprefix(declaration.prefix))
    return space is not None and not module_enabled(manifest.name, space.territory_id)


def space_tileset_declarations(space: MapSpace) -> list[TilesetDeclaration]:
    """The tileset declarations of the modules switched on in the space's territory, in
    registration order."""
    return [
        declaration
        for manifest in modules()
        if manifest.tilesets and module_enabled(manifest.name, space.territory_id)
        for declaration in manifest.tilesets
    ]
