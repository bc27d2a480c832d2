# SPDX-License-Identifier: AGPL-3.0-or-later
"""Where the numbers of the printed sheet go: each number is a square box (its disc)
placed on its idea when the place is free, otherwise moved to the nearest free place
around it, and the sheet draws a leader line from the idea to it. Greedy and simple:
the ideas of a workshop's commune are dozens, not thousands."""

import math
from collections.abc import Sequence

Point = tuple[float, float]
Bounds = tuple[float, float, float, float]  # left, top, right, bottom


def _inside(centre: Point, half: float, bounds: Bounds) -> bool:
    x, y = centre
    left, top, right, bottom = bounds
    return left <= x - half and x + half <= right and top <= y - half and y + half <= bottom


def boxes_overlap(a: Point, b: Point, size: float) -> bool:
    """Whether two square boxes of side ``size`` centred on a and b intersect."""
    return abs(a[0] - b[0]) < size and abs(a[1] - b[1]) < size


def _touches(centre: Point, half: float, box: Bounds) -> bool:
    left, top, right, bottom = box
    x, y = centre
    return x + half > left and x - half < right and y + half > top and y - half < bottom


def place_labels(
    anchors: Sequence[Point],
    *,
    size: float,
    bounds: Bounds,
    gap: float = 4,
    blocked: Sequence[Bounds] = (),
) -> list[Point]:
    """The centre of each label (in the anchors' order): on its anchor when its box
    overlaps no label placed before and stays in ``bounds``, else the first free spot on
    rings of growing radius around the anchor (clockwise from the north-east, so a
    cluster's numbers fan out around it); never over a ``blocked`` box (the scale bar,
    the north arrow). A label that finds no free spot in the whole box (more labels than
    room) stays on its anchor."""
    spacing = size + gap
    half = size / 2
    left, top, right, bottom = bounds
    # Beyond this many rings the search has covered the whole box.
    max_rings = math.ceil(math.hypot(right - left, bottom - top) / spacing) + 1
    placed: list[Point] = []

    def free(centre: Point) -> bool:
        return (
            _inside(centre, half, bounds)
            and not any(_touches(centre, half, box) for box in blocked)
            and not any(boxes_overlap(centre, other, spacing) for other in placed)
        )

    for ax, ay in anchors:
        spot = (ax, ay) if free((ax, ay)) else None
        ring = 1
        while spot is None and ring <= max_rings:
            steps = 8 * ring
            radius = ring * spacing
            for step in range(steps):
                angle = -math.pi / 4 + 2 * math.pi * step / steps
                candidate = (ax + radius * math.cos(angle), ay + radius * math.sin(angle))
                if free(candidate):
                    spot = candidate
                    break
            ring += 1
        placed.append(spot or (ax, ay))
    return placed
