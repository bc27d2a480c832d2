# SPDX-License-Identifier: AGPL-3.0-or-later
"""The map of a workshop's summary: the commune and the ideas captured, numbered as the
list is, drawn as an SVG in the page (it prints sharp, loads nothing from elsewhere).
The numbers are placed as on the A3 sheet (labels.place_labels)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext as _

from plui_documents.cnig import TYPEZONE_LABELS

from .labels import place_labels
from .printmap import print_colour, zone_order
from .selectors import SummaryIdea

WIDTH, HEIGHT, PAD = 800, 560, 24
LABEL = 32  # a number's box, in the SVG's units


@dataclass(frozen=True)
class SummaryMark:
    number: int
    kind: str  # point, line or area
    path: str  # the line's or the area's outline ("" for a point)
    anchor: tuple[float, float]
    label: tuple[float, float]


@dataclass(frozen=True)
class SummaryZone:
    typezone: str
    path: str
    colour: str


@dataclass(frozen=True)
class SummaryMap:
    width: int
    height: int
    commune: str
    marks: list[SummaryMark]
    label_radius: float
    zones: list[SummaryZone]
    legend: list[tuple[str, str, str]]  # TYPEZONE, its label, its colour


def summary_tolerance(commune: GEOSGeometry) -> float:
    """Half a unit of the drawing, in metres: the zoning needs no finer detail."""
    xmin, ymin, xmax, ymax = commune.extent
    return 0.5 * max((xmax - xmin) / (WIDTH - 2 * PAD), (ymax - ymin) / (HEIGHT - 2 * PAD))


def _path(rings, project, close: bool) -> str:
    parts = []
    for ring in rings:
        points = [project(x, y) for x, y, *_z in ring]
        if not points:
            continue
        head, *tail = points
        segment = f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in tail)
        parts.append(segment + ("Z" if close else ""))
    return "".join(parts)


def _rings(geom: GEOSGeometry) -> list:
    if geom.geom_type == "Polygon":
        return list(geom.coords)
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [ring for part in geom for ring in _rings(part)]
    if geom.geom_type == "LineString":
        return [geom.coords]
    if geom.geom_type == "MultiLineString":
        return list(geom.coords)
    return []


def summary_map(
    *,
    commune: GEOSGeometry,
    ideas: Sequence[SummaryIdea],
    zones: Sequence[tuple[str, GEOSGeometry]] = (),
) -> SummaryMap:
    """The commune fitted in the drawing, north up, its zoning (TYPEZONE, shape) in the
    A3 sheet's colours, and each idea's shape and number."""
    xmin, ymin, xmax, ymax = commune.extent
    for idea in ideas:
        gx0, gy0, gx1, gy1 = idea.geometry.extent
        xmin, ymin, xmax, ymax = min(xmin, gx0), min(ymin, gy0), max(xmax, gx1), max(ymax, gy1)
    scale = min((WIDTH - 2 * PAD) / max(xmax - xmin, 1), (HEIGHT - 2 * PAD) / max(ymax - ymin, 1))
    offset_x = (WIDTH - (xmax - xmin) * scale) / 2
    offset_y = (HEIGHT - (ymax - ymin) * scale) / 2

    def project(x: float, y: float) -> tuple[float, float]:
        return offset_x + (x - xmin) * scale, HEIGHT - offset_y - (y - ymin) * scale

    anchors = []
    for idea in ideas:
        geom = idea.geometry
        anchor = geom if geom.geom_type == "Point" else geom.point_on_surface
        anchors.append(project(anchor.x, anchor.y))
    labels = place_labels(anchors, size=LABEL, bounds=(0, 0, WIDTH, HEIGHT), gap=2)
    marks = []
    for idea, anchor, label in zip(ideas, anchors, labels, strict=True):
        kind = {"LineString": "line", "Polygon": "area"}.get(idea.geometry.geom_type, "point")
        path = (
            _path(_rings(idea.geometry), project, close=kind == "area") if kind != "point" else ""
        )
        marks.append(
            SummaryMark(
                number=idea.number,
                kind=kind,
                path=path,
                anchor=(round(anchor[0], 1), round(anchor[1], 1)),
                label=(round(label[0], 1), round(label[1], 1)),
            )
        )
    drawn_zones = [
        SummaryZone(typezone, _path(_rings(geom), project, close=True), _hex(typezone))
        for typezone, geom in zones
    ]
    codes = sorted({zone.typezone for zone in drawn_zones}, key=zone_order)
    return SummaryMap(
        width=WIDTH,
        height=HEIGHT,
        commune=_path(_rings(commune), project, close=True),
        marks=marks,
        label_radius=LABEL / 2,
        zones=drawn_zones,
        legend=[(code, TYPEZONE_LABELS.get(code, _("other zone")), _hex(code)) for code in codes],
    )


def _hex(typezone: str) -> str:
    return "#{:02x}{:02x}{:02x}".format(*print_colour(typezone))
