# SPDX-License-Identifier: AGPL-3.0-or-later
"""The portal's part of a MapLibre style (core.modules.StylePart): a circle per project
placed at a point, a fill and outline per area, coloured by state and outlined by
modality (a gift, a loan, an investment: what a resident gets back differs). Refused
projects are not in the tiles at all. The legend (each state and each modality, with its
label and colours) goes in the style's metadata, as the budgets give theirs. The portal's
page draws the same layers on its own small style (``portal_style``)."""

from carto_concertation.core.modules import MapSpace, StylePart

from .models import Project
from .selectors.portal import MAP_STATUSES
from .tiles import LAYER, MINZOOM

SOURCE = "crowdfunding-projects"
LEGEND_KEY = "carto:crowdfunding"
GREY = "#9e9e9e"
Modality = Project.Modality

STATUS_COLOURS = {
    Project.Status.ACCEPTED: "#6a51a3",
    Project.Status.CAMPAIGN: "#e6550d",
    Project.Status.FUNDED: "#31a354",
    Project.Status.INAUGURATED: "#006d2c",
    Project.Status.NOT_FUNDED: GREY,
}

# The outline tells the modality: white for a gift, dark blue for a loan, gold for an
# investment; a loan or an investment is drawn thicker (money that should come back).
MODALITY_OUTLINES = {
    Modality.DONATION: ("#ffffff", 1.5),
    Modality.DONATION_REWARD: ("#ffffff", 1.5),
    Modality.LOAN: ("#08306b", 3.0),
    Modality.LOAN_INTEREST: ("#08306b", 3.0),
    Modality.EQUITY: ("#b8860b", 3.0),
}


def legend() -> dict[str, list[dict]]:
    """Each state on the map in the lifecycle's order, and each modality, with its label
    and colours."""
    return {
        "statuses": [
            {"status": str(status), "label": str(status.label), "colour": STATUS_COLOURS[status]}
            for status in MAP_STATUSES
        ],
        "modalities": [
            {
                "modality": str(modality),
                "label": str(modality.label),
                "outline": MODALITY_OUTLINES[modality][0],
                "width": MODALITY_OUTLINES[modality][1],
            }
            for modality in Modality
        ],
    }


def _match(prop: str, values: dict, fallback) -> list:
    return [
        "match",
        ["get", prop],
        *[item for key, value in values.items() for item in (str(key), value)],
        fallback,
    ]


def project_layers_style(source: str = SOURCE) -> list[dict]:
    colour = _match("status", STATUS_COLOURS, GREY)
    outline = _match("modality", {k: v[0] for k, v in MODALITY_OUTLINES.items()}, "#ffffff")
    width = _match("modality", {k: v[1] for k, v in MODALITY_OUTLINES.items()}, 1.5)
    return [
        {
            "id": "crowdfunding-projects-fill",
            "type": "fill",
            "source": source,
            "source-layer": LAYER,
            "minzoom": MINZOOM,
            "filter": ["==", ["geometry-type"], "Polygon"],
            "paint": {"fill-color": colour, "fill-opacity": 0.35},
        },
        {
            "id": "crowdfunding-projects-outline",
            "type": "line",
            "source": source,
            "source-layer": LAYER,
            "minzoom": MINZOOM,
            "filter": ["==", ["geometry-type"], "Polygon"],
            "paint": {"line-color": outline, "line-width": width},
        },
        {
            "id": "crowdfunding-projects",
            "type": "circle",
            "source": source,
            "source-layer": LAYER,
            "minzoom": MINZOOM,
            "filter": ["==", ["geometry-type"], "Point"],
            "paint": {
                "circle-color": colour,
                "circle-radius": 8,
                "circle-stroke-color": outline,
                "circle-stroke-width": width,
            },
        },
    ]


def project_style(space: MapSpace, tilejson_url: str) -> StylePart:
    """The part of a space's style (TilesetDeclaration.style)."""
    return StylePart(
        sources={SOURCE: {"type": "vector", "url": tilejson_url}},
        layers=project_layers_style(),
        metadata={LEGEND_KEY: legend()},
    )


def portal_style(*, tilejson_url: str, communes_url: str, center: list[float], zoom: int) -> dict:
    """The portal page's own style: the communes' outlines and the projects, nothing
    fetched outside the server."""
    return {
        "version": 8,
        "center": center,
        "zoom": zoom,
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
        "metadata": {LEGEND_KEY: legend()},
    }
