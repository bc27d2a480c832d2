# SPDX-License-Identifier: AGPL-3.0-or-later
"""A space saved and a module's site-wide tileset whose rows belong to a territory, not
to a space (TilesetDeclaration.space_footprint = space_draws_nothing): none of its tiles
goes stale, not even those under the space's own features, and each still holds what a
tile made afresh holds."""

import gzip

from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.services import concertation_save
from tiles import cache as tile_cache

from .test_vector_tiles import tile_of


def _made(client, tileset: str, z: int, x: int, y: int) -> bytes:
    response = client.get(f"/tiles/{tileset}/{z}/{x}/{y}.mvt", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200, response.status_code
    return gzip.decompress(response.content)


def assert_a_space_saved_leaves_the_site_wide_tiles(
    client, settings, on_commit, *, tileset: str, space: Concertation, geom
) -> None:
    """``space`` (holding the module, drawn on ``tileset`` at ``geom``'s tile) is opened;
    ``on_commit`` is django_capture_on_commit_callbacks, which runs the announcements."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.TILE_CACHE_ENABLED = True
    point = geom.point_on_surface.transform(3857, clone=True)
    under = (14, *tile_of(point.x, point.y, 14))
    far = (14, under[1] + 200, under[2])
    drawn = _made(client, tileset, *under)
    assert drawn and tile_cache.tile_lookup(tileset, *under)[1] is not None
    tile_cache.tile_put(tile_cache.tile_lookup(tileset, *far)[0], b"tile")
    version = tile_cache.tileset_version(tileset)

    Concertation.objects.filter(pk=space.pk).update(status=Concertation.Status.DRAFT)
    space.status = Concertation.Status.OPEN
    with on_commit(execute=True):
        concertation_save(concertation=space)

    assert tile_cache.tileset_version(tileset) == version
    assert tile_cache.tile_lookup(tileset, *under)[1] is not None
    assert tile_cache.tile_lookup(tileset, *far)[1] is not None
    # Right to keep it: the tile made again after the save draws the same.
    tile_cache.tileset_touch(tileset)
    assert _made(client, tileset, *under) == drawn
