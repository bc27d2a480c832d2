# SPDX-License-Identifier: AGPL-3.0-or-later
"""The context layers a planner chose for the concertation's map are on the A3 sheet too:
drawn over the zoning inside the commune, named in the legend and credited; a layer not
chosen, or not published, is not."""

import io

from django.contrib.gis.geos import LineString
from pypdf import PdfReader

from carto_concertation.workshops.printmap import (
    OVERLAY_COLOURS,
    _Frame,
    sheet_encode,
    workshop_sheet_render,
)
from layers.models import LayerStatus
from tests.factories import (
    ContextFeatureFactory,
    ContextLayerFactory,
    SpaceLayerFactory,
    WorkshopFactory,
)


def test_the_chosen_context_layers_are_drawn_listed_and_credited(small_open_concertation):
    workshop = WorkshopFactory(concertation=small_open_concertation)
    commune = workshop.commune.geom
    xmin, ymin, xmax, ymax = commune.extent
    across = LineString(
        (xmin - 500, (ymin + ymax) / 2), (xmax + 500, (ymin + ymax) / 2), srid=commune.srid
    )
    chosen = ContextLayerFactory(
        title="Pistes cyclables", geometry_type="LineString", attribution="© Département"
    )
    ContextFeatureFactory(layer=chosen, geom=across)
    SpaceLayerFactory(concertation=small_open_concertation, context_layer=chosen)
    for title, status, is_chosen in (
        ("Couche non choisie", LayerStatus.READY, False),
        ("Couche en traitement", LayerStatus.PROCESSING, True),
    ):
        layer = ContextLayerFactory(title=title, status=status)
        ContextFeatureFactory(layer=layer, geom=commune.point_on_surface.buffer(300))
        if is_chosen:
            SpaceLayerFactory(concertation=small_open_concertation, context_layer=layer)

    sheet = workshop_sheet_render(workshop=workshop, progress=lambda *_: None)

    text = PdfReader(io.BytesIO(sheet_encode(sheet, "pdf"))).pages[0].extract_text()
    assert "Pistes cyclables" in text and "© Département" in text
    assert "Couche non choisie" not in text and "Couche en traitement" not in text
    # The line is drawn across the commune in the first overlay colour, clipped to it.
    frame = _Frame(commune.extent)
    colour = tuple(int(OVERLAY_COLOURS[0][i : i + 2], 16) for i in (1, 3, 5))
    page = sheet.pages[0].convert("RGB")
    y = round(frame(0, (ymin + ymax) / 2)[1])
    inside = [page.getpixel((x, y)) for x in range(*(round(frame(v, 0)[0]) for v in (xmin, xmax)))]
    assert sum(pixel == colour for pixel in inside) > 0.5 * len(inside)
    left_of_commune = round(frame(xmin - 300, 0)[0])
    assert page.getpixel((left_of_commune, y)) != colour


def test_without_chosen_layers_the_sheet_has_no_overlay(small_open_concertation):
    workshop = WorkshopFactory(concertation=small_open_concertation)
    sheet = workshop_sheet_render(workshop=workshop, progress=lambda *_: None)
    colours = {colour for _n, colour in sheet.pages[0].convert("RGB").getcolors(1 << 20)}
    assert not colours & {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in OVERLAY_COLOURS}
