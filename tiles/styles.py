# SPDX-License-Identifier: AGPL-3.0-or-later
"""The MapLibre style (version 8) of a participatory space's map.

Everything it draws comes from this server's tilesets: the zoning coloured as French
plans colour it (U red, AU orange, A yellow, N green), the prescriptions, the communes,
and above them each participation module's part (its ``TilesetDeclaration.style`` in
core.modules: the ideas by theme, for the ideas module). No glyphs and no sprites are
needed (nothing is drawn as text or icon), so the style makes no request outside the
server. Basemaps from other servers (IGN's Géoplateforme, OpenStreetMap) join only when
an administrator turns them on (core.basemaps); the context layers and raster plans a
planner chose for the space (layers.spaces) are drawn above the zoning. The metadata
lists both for the map's switcher and legend (``carto:basemaps``, ``carto:layers``).
"""

import math

from django.http import HttpRequest

from carto_concertation.core.basemaps import basemaps_enabled
from carto_concertation.core.modules import MapSpace
from carto_concertation.core.wgs84 import wgs84
from layers.selectors import raster_layer_ready, tileset_layers
from layers.spaces import ChosenLayer, space_layers_chosen

from .switch import space_tileset_declarations
from .tilejson import raster_tilejson, tilejson

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
# The chosen context layers' colours, in their order (then again from the first).
CONTEXT_COLOURS = ("#1f78b4", "#b15928", "#33a02c", "#6a3d9a", "#e31a1c", "#ff7f00")


def _basemap_part(sources: dict, layers: list[dict]) -> list[dict]:
    """The enabled basemaps: the first base shown, the others and the overlays hidden
    until chosen in the switcher."""
    listed = []
    first_base = True
    enabled = basemaps_enabled()
    # The overlays (the cadastre) over the bases, whatever the order they were named in.
    for basemap in sorted(enabled, key=lambda basemap: basemap.overlay):
        layer_id = f"basemap-{basemap.name}"
        sources[layer_id] = basemap.source()
        visible = not basemap.overlay and first_base
        first_base = first_base and basemap.overlay
        layers.append(
            {
                "id": layer_id,
                "type": "raster",
                "source": layer_id,
                "layout": {"visibility": "visible" if visible else "none"},
            }
        )
        listed.append({"id": layer_id, "label": str(basemap.label), "overlay": basemap.overlay})
    return listed


def _chosen_layer_part(layer: ChosenLayer, colour: str, url: str) -> tuple[dict, list[dict]]:
    """The source and layers of one chosen uploaded layer."""
    if layer.kind == "raster":
        source = {"type": "raster", "url": url, "tileSize": 256}
        return source, [
            {
                "id": layer.name,
                "type": "raster",
                "source": layer.name,
                "paint": {"raster-opacity": 0.8},
            }
        ]
    source = {"type": "vector", "url": url}
    common = {"source": layer.name, "source-layer": layer.name}
    kind = layer.geometry_type.removeprefix("Multi")
    drawn = []
    if kind in ("Polygon", "Geometry"):
        drawn += [
            {
                "id": f"{layer.name}-fill",
                "type": "fill",
                **common,
                "filter": ["==", ["geometry-type"], "Polygon"],
                "paint": {"fill-color": colour, "fill-opacity": 0.2},
            },
            {
                "id": f"{layer.name}-outline",
                "type": "line",
                **common,
                "filter": ["==", ["geometry-type"], "Polygon"],
                "paint": {"line-color": colour, "line-width": 1.5},
            },
        ]
    if kind in ("LineString", "Geometry"):
        drawn.append(
            {
                "id": f"{layer.name}-line",
                "type": "line",
                **common,
                "filter": ["==", ["geometry-type"], "LineString"],
                "paint": {"line-color": colour, "line-width": 2.5},
            }
        )
    if kind in ("Point", "Geometry"):
        drawn.append(
            {
                "id": f"{layer.name}-point",
                "type": "circle",
                **common,
                "filter": ["==", ["geometry-type"], "Point"],
                "paint": {
                    "circle-color": colour,
                    "circle-radius": 4,
                    "circle-stroke-color": "#ffffff",
                    "circle-stroke-width": 1,
                },
            }
        )
    return source, drawn


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
    centroid = wgs84(space.perimeter.centroid)
    sources: dict = {"communes": {"type": "vector", "url": tilejson("communes")}}
    for part in parts:
        sources.update(part.sources)
    layers: list[dict] = [
        {"id": "background", "type": "background", "paint": {"background-color": BACKGROUND}}
    ]
    basemaps = _basemap_part(sources, layers)
    if space.zoning:
        sources["zoning"] = {"type": "vector", "url": tilejson("zoning")}
        layers += _zoning_layers()
    chosen = []
    for position, layer in enumerate(space_layers_chosen(space.pk)):
        colour = CONTEXT_COLOURS[position % len(CONTEXT_COLOURS)]
        url = (
            request.build_absolute_uri(f"/tiles/raster/{layer.name}.json")
            if layer.kind == "raster"
            else tilejson(layer.name)
        )
        sources[layer.name], drawn = _chosen_layer_part(layer, colour, url)
        layers += drawn
        chosen.append(
            {
                "id": layer.name,
                "title": layer.title,
                "kind": layer.kind,
                "colour": colour,
                "layers": [drawn_layer["id"] for drawn_layer in drawn],
                "attribution": f"{layer.attribution} ({layer.licence})",
            }
        )
    layers += _commune_layers()
    metadata: dict = {
        "carto:concertation": space.slug,
        "carto:basemaps": basemaps,
        "carto:layers": chosen,
    }
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


# What a source takes from its TileJSON when the page brings the style with it.
INLINE_KEYS = ("tiles", "minzoom", "maxzoom", "bounds", "attribution", "scheme")


def space_style_inline(request: HttpRequest, space: MapSpace) -> dict:
    """The style with our own TileJSONs written into its sources, for a page to carry
    in its HTML: on a phone network each of the two requests it saves (the style, then
    its TileJSONs) costs a round trip of more than half a second before the first tile
    is asked for (tests/bench/test_page_weight.py). The modules' sources come first, so
    that their tiles are asked before those of the layers under them."""
    style = space_style(request, space)
    prefix = request.build_absolute_uri("/tiles/")
    modules = {part.tileset(space.slug) for part in space_tileset_declarations(space)}
    resolved: dict = {}
    for name, source in style["sources"].items():
        url = source.get("url", "")
        document = None
        if url.startswith(prefix) and url.endswith(".json"):
            tileset = url.removeprefix(prefix).removesuffix(".json")
            if tileset.startswith("raster/"):
                raster = raster_layer_ready(tileset.removeprefix("raster/"))
                document = raster_tilejson(request, raster) if raster else None
            elif layers := tileset_layers(tileset):
                document = tilejson(request, tileset, layers)
        if document is None:
            resolved[name] = source
            continue
        inline = {key: value for key, value in source.items() if key != "url"}
        inline.update({key: document[key] for key in INLINE_KEYS if key in document})
        resolved[name] = inline
    first = [
        name for name, source in style["sources"].items() if _url_tileset(source, prefix) in modules
    ]
    style["sources"] = {
        name: resolved[name] for name in [*first, *(n for n in resolved if n not in first)]
    }
    return style


def _url_tileset(source: dict, prefix: str) -> str:
    return source.get("url", "").removeprefix(prefix).removesuffix(".json")


def first_view_tiles(template: str, centre: tuple[float, float], zoom: int) -> list[str]:
    """The URLs of a source's tiles that a map opening at ``centre`` (longitude,
    latitude) and ``zoom`` draws first: those within half a tile of the centre (a phone's
    view, at MapLibre's 512-pixel vector tiles). A page preloads them, so that they come
    with its scripts rather than a round trip after them."""
    n = 2**zoom
    longitude, latitude = centre
    x = (longitude + 180) / 360 * n
    phi = math.radians(latitude)
    y = (1 - math.asinh(math.tan(phi)) / math.pi) / 2 * n
    return [
        template.replace("{z}", str(zoom)).replace("{x}", str(tx)).replace("{y}", str(ty))
        for ty in range(max(0, math.floor(y - 0.5)), min(n - 1, math.floor(y + 0.5)) + 1)
        for tx in range(max(0, math.floor(x - 0.5)), min(n - 1, math.floor(x + 0.5)) + 1)
    ]
