# SPDX-License-Identifier: AGPL-3.0-or-later
"""TileJSON 3.0.0 documents built from the layer registry, and for raster layers."""

from django.db import connection
from django.http import HttpRequest
from django.urls import reverse
from psycopg import sql

from layers.models import RasterLayer
from layers.registry import LayerDefinition, field_types

from .cache import bounds_cached, bounds_put
from .filters import NO_FILTERS, TileFilters

WORLD = [-180.0, -85.05112877980659, 180.0, 85.0511287798066]


def _bounds(tileset: str, layers: list[LayerDefinition]) -> list[float]:
    """The WGS84 extent of the tileset's data (cached per data version, forgotten when a
    feature is written outside it: tiles.invalidation)."""
    found, version = bounds_cached(tileset)
    if found:
        return found
    parts = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT geom_3857 FROM ({}) AS source").format(sql.SQL(layer.source))
        if layer.source
        else sql.SQL("SELECT geom_3857 FROM {} {}").format(
            sql.Identifier(layer.table),
            sql.SQL("WHERE {}").format(sql.SQL(layer.where)) if layer.where else sql.SQL(""),
        )
        for layer in layers
    )
    query = sql.SQL(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
        "(SELECT ST_Transform(ST_SetSRID(ST_Extent(geom_3857)::geometry, 3857), 4326) AS e "
        "FROM ({}) AS f) AS extent"
    ).format(parts)
    with connection.cursor() as cursor:
        cursor.execute(query, NO_FILTERS.params())
        row = cursor.fetchone()
    bounds = [round(v, 6) for v in row] if row and row[0] is not None else WORLD
    bounds_put(tileset, bounds, version)
    return bounds


def tilejson(
    request: HttpRequest,
    tileset: str,
    layers: list[LayerDefinition],
    filters: TileFilters = NO_FILTERS,
) -> dict:
    """The tileset's TileJSON; its tile URLs carry the filters it was asked with (in
    their canonical form, the tiles' cache key), so a client reading it gets those tiles."""
    query = f"?{filters.key()}" if filters.used() else ""
    minzoom = min(layer.minzoom for layer in layers)
    maxzoom = max(layer.maxzoom for layer in layers)
    bounds = _bounds(tileset, layers)
    center_zoom = min(maxzoom, max(minzoom, 10))
    attribution = " ; ".join(
        dict.fromkeys(f"{layer.attribution} ({layer.licence})" for layer in layers)
    )
    return {
        "tilejson": "3.0.0",
        "name": tileset,
        "tiles": [request.build_absolute_uri(f"/tiles/{tileset}/") + "{z}/{x}/{y}.mvt" + query],
        "vector_layers": [
            {
                "id": layer.name,
                "description": str(layer.title),
                "minzoom": layer.minzoom,
                "maxzoom": layer.maxzoom,
                "fields": field_types(layer),
            }
            for layer in layers
        ],
        "minzoom": minzoom,
        "maxzoom": maxzoom,
        "bounds": bounds,
        "center": [
            round((bounds[0] + bounds[2]) / 2, 6),
            round((bounds[1] + bounds[3]) / 2, 6),
            center_zoom,
        ],
        "attribution": attribution,
        "scheme": "xyz",
        "version": "1.0.0",
    }


def raster_tilejson(request: HttpRequest, raster: RasterLayer) -> dict:
    """The TileJSON 3.0.0 of a raster layer's PNG tiles (its COG's zooms and footprint)."""
    template = reverse("raster-tile", args=[raster.name, 0, 0, 0]).removesuffix("0/0/0.png")
    west, south, east, north = (round(v, 6) for v in raster.footprint.extent)
    return {
        "tilejson": "3.0.0",
        "name": raster.title,
        "tiles": [request.build_absolute_uri(template) + "{z}/{x}/{y}.png"],
        # Required by the 3.0.0 schema, and empty: these tiles are images.
        "vector_layers": [],
        "minzoom": raster.minzoom,
        "maxzoom": raster.maxzoom,
        "bounds": [west, south, east, north],
        "center": [round((west + east) / 2, 6), round((south + north) / 2, 6), raster.maxzoom],
        "attribution": f"{raster.attribution} ({raster.licence})",
        "scheme": "xyz",
        "version": "1.0.0",
    }
