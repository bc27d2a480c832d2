# SPDX-License-Identifier: AGPL-3.0-or-later
"""The projects' part of a MapLibre style (core.modules.StylePart): a circle per project
placed at a point, a fill and outline per area, coloured by status; a project out of
the race (not admissible, merged, not selected) is greyed. The legend (each status, its
label and colour) goes in the style's metadata, as the reports give theirs. The edition's
own page draws the same layers on its own small style (``edition_style``)."""

from carto_concertation.core.modules import MapSpace, StylePart

from .models import Project
from .tiles import LAYER, MINZOOM

SOURCE = "budget-projects"
LEGEND_KEY = "carto:budgets"
GREY = "#9e9e9e"

STATUS_COLOURS = {
    Project.Status.PROPOSED: "#1f77b4",
    Project.Status.ADMISSIBLE: "#17becf",
    Project.Status.ON_BALLOT: "#ff7f0e",
    Project.Status.WINNER: "#2ca02c",
    Project.Status.DONE: "#006d2c",
    Project.Status.NOT_ADMISSIBLE: GREY,
    Project.Status.MERGED: GREY,
    Project.Status.NOT_SELECTED: GREY,
}


def status_legend() -> list[dict]:
    """Each status in the workflow's order, with its label and colour."""
    return [
        {"status": str(status), "label": str(status.label), "colour": STATUS_COLOURS[status]}
        for status in Project.Status
    ]


def _colour() -> list:
    return [
        "match",
        ["get", "status"],
        *[value for status in Project.Status for value in (str(status), STATUS_COLOURS[status])],
        GREY,
    ]


def project_layers_style(source: str = SOURCE) -> list[dict]:
    colour = _colour()
    return [
        {
            "id": "budget-projects-fill",
            "type": "fill",
            "source": source,
            "source-layer": LAYER,
            "minzoom": MINZOOM,
            "filter": ["==", ["geometry-type"], "Polygon"],
            "paint": {"fill-color": colour, "fill-opacity": 0.35},
        },
        {
            "id": "budget-projects-outline",
            "type": "line",
            "source": source,
            "source-layer": LAYER,
            "minzoom": MINZOOM,
            "filter": ["==", ["geometry-type"], "Polygon"],
            "paint": {"line-color": colour, "line-width": 2},
        },
        {
            "id": "budget-projects",
            "type": "circle",
            "source": source,
            "source-layer": LAYER,
            "minzoom": MINZOOM,
            "filter": ["==", ["geometry-type"], "Point"],
            "paint": {
                "circle-color": colour,
                "circle-radius": 7,
                "circle-stroke-color": "#ffffff",
                "circle-stroke-width": 1.5,
            },
        },
    ]


def project_style(space: MapSpace, tilejson_url: str) -> StylePart:
    """The part of a space's style (TilesetDeclaration.style)."""
    return StylePart(
        sources={SOURCE: {"type": "vector", "url": tilejson_url}},
        layers=project_layers_style(),
        metadata={LEGEND_KEY: status_legend()},
    )


def edition_style(*, tilejson_url: str, communes_url: str, center: list[float]) -> dict:
    """The edition page's own style: the communes' outlines and the projects, nothing
    fetched outside the server."""
    return {
        "version": 8,
        "center": center,
        "zoom": 12,
        "sources": {
            "communes": {"type": "vector", "url": communes_url},
            SOURCE: {"type": "vector", "url": tilejson_url},
        },
        "layers": [
            {"id": "background", "type": "background", "paint": {"background-color": "#f4f1ea"}},
            {
                "id": "communes-outline",
                "type": "line",
                "source": "communes",
                "source-layer": "communes",
                "paint": {"line-color": "#5b5b6b", "line-width": 1.5},
            },
            *project_layers_style(),
        ],
        "metadata": {LEGEND_KEY: status_legend()},
    }
