# SPDX-License-Identifier: AGPL-3.0-or-later
"""The maps of the bilan, drawn with folium (Leaflet) without any background tiles: the
zoning is a GeoJSON layer, so the report opens offline. Each map is handed back as its
<div> and its script; the report inlines Leaflet once for all of them."""

from dataclasses import dataclass

import folium
from django.utils.html import escape
from django.utils.translation import gettext as _

from tiles.styles import COMMUNE_LINE, OTHER_ZONE, ZONE_COLOURS

# Sequential classes (light to dark) of the choropleths.
CLASSES = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")


@dataclass(frozen=True)
class BilanMap:
    key: str
    title: str
    html: str
    script: str
    # The classes of a choropleth: (colour, "from–to") pairs, shown under the map.
    legend: tuple[tuple[str, str], ...] = ()


def class_colour(count: int, highest: int) -> str:
    """The class of a count among five equal steps up to the highest count."""
    if count <= 0 or highest <= 0:
        return CLASSES[0]
    return CLASSES[min(len(CLASSES) - 1, 1 + (count - 1) * (len(CLASSES) - 1) // highest)]


def class_legend(highest: int) -> tuple[tuple[str, str], ...]:
    """The classes class_colour() gives, each with the counts it covers."""
    covered: dict[str, list[int]] = {}
    for count in range(highest + 1):
        covered.setdefault(class_colour(count, highest), []).append(count)
    return tuple(
        (colour, str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}")
        for colour, counts in covered.items()
    )


def _map(bounds: list[list[float]]) -> folium.Map:
    # A printed map has no use for buttons: no zoom control, no attribution widget
    # (there are no tiles to credit); the scale bar stays, metric only.
    drawn = folium.Map(
        tiles=None,
        control_scale=True,
        zoom_snap=0.25,
        zoom_control=False,
        attribution_control=False,
    )
    # Leaflet comes inlined from our own copy: no CDN link in the report.
    drawn.default_js = []
    drawn.default_css = []
    drawn.fit_bounds(bounds)
    return drawn


def _parts(key: str, title: str, drawn: folium.Map) -> BilanMap:
    root = drawn.get_root()
    root.render()
    return BilanMap(key=key, title=title, html=root.html.render(), script=root.script.render())


def tooltip_text(text: str) -> str:
    """Text for a folium tooltip, which lands unescaped in a JavaScript template literal
    and then in HTML: escape both, so that a contribution's title stays text."""
    return escape(text).replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def _tooltip_safe(collection: dict, fields: list[str]) -> dict:
    """The collection with the fields its GeoJsonTooltip shows escaped: folium puts them
    into the page as HTML, and zone labels and commune names come from imported files."""
    return {
        **collection,
        "features": [
            {
                **feature,
                "properties": {
                    **feature["properties"],
                    **{field: escape(str(feature["properties"][field])) for field in fields},
                },
            }
            for feature in collection["features"]
        ],
    }


def _points(contributions, colour) -> list[folium.Marker]:
    """Each contribution as a disc bearing its number, the number of the list (part 5),
    so that a printed map is read with the list beside it."""
    return [
        folium.Marker(
            location=[c.lat, c.lon],
            icon=folium.DivIcon(
                html=(
                    f'<div class="bilan-number" data-number="{c.number}" '
                    f'style="background: {escape(colour(c))}">{c.number}</div>'
                ),
                icon_size=(22, 22),
                icon_anchor=(11, 11),
                class_name="bilan-marker",
            ),
            tooltip=tooltip_text(f"{c.number}. {c.title}"),
        )
        for c in contributions
    ]


def _outlines(geojson: dict, name: str) -> folium.GeoJson:
    return folium.GeoJson(
        geojson,
        name=name,
        style_function=lambda feature: {
            "color": COMMUNE_LINE,
            "weight": 1,
            "fillOpacity": 0,
        },
    )


def zoning_map(*, zones: dict, communes: dict, contributions, bounds) -> BilanMap:
    """The contributions over the PLUi zoning (coloured by TYPEZONE)."""
    drawn = _map(bounds)
    folium.GeoJson(
        _tooltip_safe(zones, ["libelle", "typezone"]),
        name=_("Zoning"),
        style_function=lambda feature: {
            "color": "#555555",
            "weight": 0.5,
            "fillColor": ZONE_COLOURS.get(feature["properties"]["typezone"], OTHER_ZONE),
            "fillOpacity": 0.45,
        },
        tooltip=folium.GeoJsonTooltip(fields=["libelle", "typezone", "count"]),
    ).add_to(drawn)
    _outlines(communes, _("Communes")).add_to(drawn)
    for marker in _points(contributions, lambda c: "#1f4e79"):
        marker.add_to(drawn)
    return _parts("zoning", _("The contributions over the zoning"), drawn)


def commune_map(*, communes: dict, bounds) -> BilanMap:
    """Choropleth of the number of contributions per commune."""
    highest = max((f["properties"]["count"] for f in communes["features"]), default=0)
    drawn = _map(bounds)
    folium.GeoJson(
        _tooltip_safe(communes, ["name"]),
        name=_("Communes"),
        style_function=lambda feature: {
            "color": COMMUNE_LINE,
            "weight": 1,
            "fillColor": class_colour(feature["properties"]["count"], highest),
            "fillOpacity": 0.8,
        },
        tooltip=folium.GeoJsonTooltip(fields=["name", "count"]),
    ).add_to(drawn)
    parts = _parts("communes", _("Contributions per commune"), drawn)
    return BilanMap(**{**parts.__dict__, "legend": class_legend(highest)})


def theme_map(*, theme, communes: dict, contributions, bounds) -> BilanMap:
    """The contributions of one theme, in its colour, over the communes."""
    drawn = _map(bounds)
    _outlines(communes, _("Communes")).add_to(drawn)
    for marker in _points(contributions, lambda c: theme.colour):
        marker.add_to(drawn)
    return _parts(f"theme-{theme.pk}", _("Theme: %(theme)s") % {"theme": theme.name}, drawn)
