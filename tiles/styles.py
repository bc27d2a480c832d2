# SPDX-License-Identifier: AGPL-3.0-or-later
"""The MapLibre style (version 8) of a concertation's map.

Everything it draws comes from this server's tilesets: the zoning coloured as French
plans colour it (U red, AU orange, A yellow, N green), the prescriptions, the communes,
and the contributions by theme — counts per commune and zone at low zoom, the ideas
themselves from AGGREGATE_BELOW on. No glyphs and no sprites are needed (nothing is
drawn as text or icon), so the style makes no request outside the server; a basemap
joins only when BASEMAP_TILES is configured.
"""

from django.conf import settings
from django.http import HttpRequest

from carto_concertation.contributions.tiles import (
    AGGREGATE_BELOW,
    contribution_layers,
    contribution_tileset,
)

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


def _contribution_layers(themes: list[tuple[int, str]]) -> list[dict]:
    theme_colour = ["match", ["get", "theme"], *sum(themes, ()), "#3366cc"] if themes else "#3366cc"
    density = [
        "interpolate",
        ["linear"],
        ["get", "count"],
        1,
        "#c6dbef",
        10,
        "#6baed6",
        50,
        "#08519c",
    ]
    return [
        {
            "id": "contributions-per-commune",
            "type": "fill",
            "source": "contributions",
            "source-layer": "contributions_by_commune",
            "maxzoom": 11,
            "paint": {"fill-color": density, "fill-opacity": 0.35},
        },
        {
            "id": "contributions-per-zone",
            "type": "fill",
            "source": "contributions",
            "source-layer": "contributions_by_zone",
            "minzoom": 11,
            "maxzoom": AGGREGATE_BELOW,
            "paint": {"fill-color": density, "fill-opacity": 0.35},
        },
        {
            "id": "contributions-area",
            "type": "fill",
            "source": "contributions",
            "source-layer": "contributions",
            "minzoom": AGGREGATE_BELOW,
            "filter": ["==", ["geometry-type"], "Polygon"],
            "paint": {"fill-color": theme_colour, "fill-opacity": 0.35},
        },
        {
            "id": "contributions-line",
            "type": "line",
            "source": "contributions",
            "source-layer": "contributions",
            "minzoom": AGGREGATE_BELOW,
            "filter": ["in", ["geometry-type"], ["literal", ["LineString", "Polygon"]]],
            "paint": {"line-color": theme_colour, "line-width": 3},
        },
        {
            "id": "contributions-point",
            "type": "circle",
            "source": "contributions",
            "source-layer": "contributions",
            "minzoom": AGGREGATE_BELOW,
            "filter": ["==", ["geometry-type"], "Point"],
            "paint": {
                "circle-color": theme_colour,
                # Supported ideas stand out: the radius grows with the support score.
                "circle-radius": [
                    "interpolate",
                    ["linear"],
                    ["max", ["to-number", ["get", "support"], 0], 0],
                    0,
                    6,
                    20,
                    12,
                ],
                "circle-stroke-color": "#ffffff",
                "circle-stroke-width": 1.5,
            },
        },
    ]


def concertation_style(request: HttpRequest, concertation) -> dict:
    """The style document; its sources are our TileJSON URLs, absolute."""

    def tilejson(tileset: str) -> str:
        return request.build_absolute_uri(f"/tiles/{tileset}.json")

    themes = [(theme.pk, theme.colour) for theme in concertation.themes.all()]
    centroid = concertation.perimeter.centroid.transform(4326, clone=True)
    sources: dict = {
        "communes": {"type": "vector", "url": tilejson("communes")},
        "contributions": {
            "type": "vector",
            "url": tilejson(contribution_tileset(concertation.slug)),
        },
    }
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
    if concertation.plui_document_id:
        sources["zoning"] = {"type": "vector", "url": tilejson("zoning")}
        layers += _zoning_layers()
    # The counts per zone exist only where the concertation has a PLUi: the style draws
    # the layers its tileset serves, no more (MapLibre logs an error for a missing one).
    served = {layer.name for layer in contribution_layers(concertation)}
    layers += _commune_layers()
    layers += [layer for layer in _contribution_layers(themes) if layer["source-layer"] in served]
    return {
        "version": 8,
        "name": concertation.title,
        "metadata": {
            "carto:concertation": concertation.slug,
            "carto:aggregate-below": AGGREGATE_BELOW,
            "carto:themes": {str(pk): colour for pk, colour in themes},
        },
        "center": [round(centroid.x, 6), round(centroid.y, 6)],
        "zoom": 11,
        "sources": sources,
        "layers": layers,
    }
