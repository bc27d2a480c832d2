# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' part of a space's MapLibre style (core.modules.StylePart): one
circle per report, coloured by its state, above the ideas; the legend (each state, its
label and its colour) in the style's metadata, as the ideas give their themes' colours."""

from carto_concertation.core.modules import MapSpace, StylePart

from .models import Report
from .tiles import LAYER, MAPPED_STATES, MINZOOM

SOURCE = "signalements"
LEGEND_KEY = "carto:signalements"

# Red for what waits, warm to cool as it moves on, green once fixed.
STATE_COLOURS = {
    Report.State.OPEN: "#d62728",
    Report.State.ACKNOWLEDGED: "#ff7f0e",
    Report.State.IN_PROGRESS: "#bcbd22",
    Report.State.FIXED: "#2ca02c",
    Report.State.NOT_FIXED: "#7f7f7f",
    Report.State.NOT_RESPONSIBLE: "#9467bd",
}
OTHER_STATE = "#7f7f7f"


def report_legend() -> list[dict]:
    """Each state the map shows, in the workflow's order, with its label and colour."""
    return [
        {"state": str(state), "label": str(state.label), "colour": STATE_COLOURS[state]}
        for state in MAPPED_STATES
    ]


def report_style(space: MapSpace, tilejson_url: str) -> StylePart:
    colour = [
        "match",
        ["get", "state"],
        *[value for state in MAPPED_STATES for value in (str(state), STATE_COLOURS[state])],
        OTHER_STATE,
    ]
    return StylePart(
        sources={SOURCE: {"type": "vector", "url": tilejson_url}},
        layers=[
            {
                "id": "signalements",
                "type": "circle",
                "source": SOURCE,
                "source-layer": LAYER,
                "minzoom": MINZOOM,
                "paint": {
                    "circle-color": colour,
                    # A report many people follow stands out a little.
                    "circle-radius": [
                        "interpolate",
                        ["linear"],
                        ["to-number", ["get", "followers"], 0],
                        0,
                        6,
                        10,
                        10,
                    ],
                    "circle-stroke-color": "#ffffff",
                    "circle-stroke-width": 1.5,
                },
            }
        ],
        metadata={LEGEND_KEY: report_legend()},
    )
