# SPDX-License-Identifier: AGPL-3.0-or-later
"""The achievements' map, drawn on the server as SVG: the districts' outlines and each
winner as a dot coloured by its realisation. It needs no JavaScript and no tile server,
and every dot is a link to the winner's follow-up (with its title as the dot's name)."""

from dataclasses import dataclass

from django.urls import reverse

# The realisation's colour (and the legend's), colour-blind safe (Okabe-Ito).
COLOURS = {
    "study": "#0072B2",
    "works": "#E69F00",
    "done": "#009E73",
    "abandoned": "#7f7f7f",
}
WIDTH = 640
MARGIN = 12


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    colour: str
    title: str
    realisation: str
    url: str


@dataclass(frozen=True)
class WinnersMap:
    width: int
    height: int
    outlines: tuple[str, ...]  # SVG path data
    dots: tuple[Dot, ...]


def _ring(coords, scale) -> str:
    points = [scale(x, y) for x, y in coords]
    return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points) + " Z"


def winners_map(rows: list[dict]) -> WinnersMap | None:
    """The map of these rows (``project`` and ``realisation`` each), None without any
    located winner. Geometries are in the projected SRID: metres, drawn as they are."""
    located = [row for row in rows if row["project"].geom is not None]
    if not located:
        return None
    districts = {}
    for row in located:
        district = row["project"].district
        if district is not None:
            districts[district.pk] = district.geom
    shapes = [row["project"].geom for row in located] + list(districts.values())
    xmin = min(g.extent[0] for g in shapes)
    ymin = min(g.extent[1] for g in shapes)
    xmax = max(g.extent[2] for g in shapes)
    ymax = max(g.extent[3] for g in shapes)
    span = max(xmax - xmin, ymax - ymin, 100.0)
    factor = (WIDTH - 2 * MARGIN) / span
    height = int((ymax - ymin) * factor + 2 * MARGIN)

    def scale(x: float, y: float) -> tuple[float, float]:
        return (MARGIN + (x - xmin) * factor, MARGIN + (ymax - y) * factor)

    outlines = []
    for geom in districts.values():
        simple = geom.simplify(span / 500, preserve_topology=True)
        polygons = simple if simple.geom_type == "MultiPolygon" else [simple]
        path = " ".join(_ring(ring.coords, scale) for polygon in polygons for ring in polygon)
        outlines.append(path)
    dots = []
    for row in located:
        project = row["project"]
        point = project.geom if project.geom.geom_type == "Point" else project.geom.point_on_surface
        x, y = scale(point.x, point.y)
        dots.append(
            Dot(
                x=round(x, 1),
                y=round(y, 1),
                colour=COLOURS[row["realisation"]],
                title=f"{project.title} — {row['realisation_label']}",
                realisation=row["realisation"],
                url=reverse(
                    "budgets:project-followup", args=[project.edition.slug, project.number]
                ),
            )
        )
    return WinnersMap(width=WIDTH, height=height, outlines=tuple(outlines), dots=tuple(dots))
