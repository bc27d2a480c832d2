# SPDX-License-Identifier: AGPL-3.0-or-later
"""The notices' part of a space's MapLibre style (core.modules.StylePart)."""

from carto_concertation.core.modules import MapSpace, StylePart

SOURCE = "notices"


def notice_style(space: MapSpace, tilejson_url: str) -> StylePart:
    return StylePart(
        sources={SOURCE: {"type": "vector", "url": tilejson_url}},
        layers=[
            {
                "id": "notices",
                "type": "circle",
                "source": SOURCE,
                "source-layer": "notices",
                "paint": {
                    "circle-radius": 6,
                    "circle-color": "#b34e00",
                    "circle-stroke-color": "#ffffff",
                    "circle-stroke-width": 2,
                },
            }
        ],
    )
