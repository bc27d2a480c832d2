# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' part of a space's MapLibre style (core.modules.StylePart): the contributions
by theme — counts per commune and zone at low zoom, the ideas themselves from
AGGREGATE_BELOW on — drawn by tiles.styles above the zoning and the communes."""

from carto_concertation.core.modules import MapSpace, StylePart

from .tiles import AGGREGATE_BELOW, contribution_tileset, contribution_tileset_layers

SOURCE = "contributions"


def _contribution_layers(themes: tuple[tuple[int, str], ...]) -> list[dict]:
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
            "source": SOURCE,
            "source-layer": "contributions_by_commune",
            "maxzoom": 11,
            "paint": {"fill-color": density, "fill-opacity": 0.35},
        },
        {
            "id": "contributions-per-zone",
            "type": "fill",
            "source": SOURCE,
            "source-layer": "contributions_by_zone",
            "minzoom": 11,
            "maxzoom": AGGREGATE_BELOW,
            "paint": {"fill-color": density, "fill-opacity": 0.35},
        },
        {
            "id": "contributions-area",
            "type": "fill",
            "source": SOURCE,
            "source-layer": "contributions",
            "minzoom": AGGREGATE_BELOW,
            "filter": ["==", ["geometry-type"], "Polygon"],
            "paint": {"fill-color": theme_colour, "fill-opacity": 0.35},
        },
        {
            "id": "contributions-line",
            "type": "line",
            "source": SOURCE,
            "source-layer": "contributions",
            "minzoom": AGGREGATE_BELOW,
            "filter": ["in", ["geometry-type"], ["literal", ["LineString", "Polygon"]]],
            "paint": {"line-color": theme_colour, "line-width": 3},
        },
        {
            "id": "contributions-point",
            "type": "circle",
            "source": SOURCE,
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


def contribution_style(space: MapSpace, tilejson_url: str) -> StylePart:
    """The contributions' source and layers. The counts per zone exist only where the space
    has a PLUi: the style draws the layers its tileset serves, no more (MapLibre logs an
    error for a missing one)."""
    served = {layer.name for layer in contribution_tileset_layers(contribution_tileset(space.slug))}
    return StylePart(
        sources={SOURCE: {"type": "vector", "url": tilejson_url}},
        layers=[
            layer for layer in _contribution_layers(space.themes) if layer["source-layer"] in served
        ],
        metadata={"carto:aggregate-below": AGGREGATE_BELOW},
    )
