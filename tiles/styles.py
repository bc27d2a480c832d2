# SPDX-License-Identifier: AGPL-3.0-or-later
"""The MapLibre style (version 8) of a participatory space's map.

Everything it draws comes from this server's tilesets: the zoning coloured as French
plans colour it (U red, AU orange, A yellow, N green), the prescriptions, the communes,
and above them each participation module's part (its ``TilesetDeclaration.style`` in
core.modules: the ideas by theme, for the ideas module). No glyphs and no sprites are
needed (nothing is drawn as text or icon), so the style makes no request outside the
server; a basemap joins only when BASEMAP_TILES is configured.
"""

from django.conf import settings
from django.http import HttpRequest

from carto_concertation.core.modules import MapSpace

from .switch import space_tileset_declarations

# CNIG TYPEZONE → the colours French PLU maps use.
ZONE_COLOURS = {
    "U": "#e5484d",
    "AUc": "#f59e42",
    "AUs": "#f8c78a",
    "A": "#f2e24c",
    "N": "#4caf50",
}
OTHER_ZONE = "#bdbdbd"  # a TYPEZONE outside the standard's domain
COMMUNE_LINE = "#5b5b6b"
BACKGROUND = "#f4f1ea"


def _zoning_layers() -> list[dict]:
    colour = ["match", ["get", "typezone"], *sum(ZONE_COLOURS.items(), ()), OTHER_ZONE]
    return [
        {
            "id": "zoning-fill",
            "type": "fill",
            "source": "zoning",
            "source-layer": "zones",
            "paint": {"fill-color": colour, "fill-opacity": 0.45},
        },
        {
            "id": "zoning-outline",
            "type": "line",
            "source": "zoning",
            "source-layer": "zones",
            "minzoom": 11,
            "paint": {"line-color": colour, "line-width": 0.8},
        },
        {
            "id": "prescriptions-area",
            "type": "fill",
            "source": "zoning",
            "source-layer": "prescriptions",
            "filter": ["==", ["geometry-type"], "Polygon"],
            "paint": {"fill-color": "#6a3d9a", "fill-opacity": 0.15},
        },
        {
            "id": "prescriptions-line",
            "type": "line",
            "source": "zoning",
            "source-layer": "prescriptions",
            "paint": {"line-color": "#6a3d9a", "line-width": 1.2, "line-dasharray": [2, 1]},
        },
    ]


def _commune_layers() -> list[dict]:
    return [
        {
            "id": "communes-outline",
            "type": "line",
            "source": "communes",
            "source-layer": "communes",
            "paint": {"line-color": COMMUNE_LINE, "line-width": 1.5},
        }
    ]


def space_style(request: HttpRequest, space: MapSpace) -> dict:
    """The style document; its sources are our TileJSON URLs, absolute. The modules' parts
    (core.modules: each tileset declaration with a style, of the modules switched on in
    the space's territory) come above the communes, in registration order."""

    def tilejson(tileset: str) -> str:
        return request.build_absolute_uri(f"/tiles/{tileset}.json")

    parts = [
        declaration.style(space, tilejson(declaration.tileset(space.slug)))
        for declaration in space_tileset_declarations(space)
        if declaration.style is not None
    ]
    centroid = space.perimeter.centroid.transform(4326, clone=True)
    sources: dict = {"communes": {"type": "vector", "url": tilejson("communes")}}
    for part in parts:
        sources.update(part.sources)
    layers: list[dict] = [
        {"id": "background", "type": "background", "paint": {"background-color": BACKGROUND}}
    ]
    if settings.BASEMAP_TILES:
        sources["basemap"] = {
            "type": "raster",
            "tiles": [settings.BASEMAP_TILES],
            "tileSize": 256,
            "attribution": settings.BASEMAP_ATTRIBUTION,
        }
        layers.append({"id": "basemap", "type": "raster", "source": "basemap"})
    if space.zoning:
        sources["zoning"] = {"type": "vector", "url": tilejson("zoning")}
        layers += _zoning_layers()
    layers += _commune_layers()
    metadata: dict = {"carto:concertation": space.slug}
    for part in parts:
        layers += part.layers
        metadata.update(part.metadata)
    metadata["carto:themes"] = {str(pk): colour for pk, colour in space.themes}
    return {
        "version": 8,
        "name": space.title,
        "metadata": metadata,
        "center": [round(centroid.x, 6), round(centroid.y, 6)],
        "zoom": 11,
        "sources": sources,
        "layers": layers,
    }
