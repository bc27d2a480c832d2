# SPDX-License-Identifier: AGPL-3.0-or-later
"""The A3 sheet's numbers never overprint each other, and its list of ideas goes on over
a second page: the placement function alone, then the real sheet of 60 ideas crowded in
one street (small world)."""

import io
import itertools
import re
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from PIL import Image
from pypdf import PdfReader

from carto_concertation.workshops.labels import boxes_overlap, place_labels
from carto_concertation.workshops.printmap import (
    HEIGHT,
    MAP_BOX,
    WIDTH,
    sheet_encode,
    workshop_sheet_render,
)
from tests.factories import ContributionFactory, WorkshopFactory

BOUNDS = (0, 0, 1000, 800)
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def assert_apart(centres, size):
    for a, b in itertools.combinations(centres, 2):
        assert not boxes_overlap(a, b, size), (a, b)


def test_labels_far_apart_stay_on_their_ideas():
    anchors = [(100, 100), (300, 300), (600, 500)]
    assert place_labels(anchors, size=44, bounds=BOUNDS) == anchors


def test_labels_of_ideas_on_one_spot_fan_out_without_touching():
    anchors = [(500, 400)] * 40 + [(502 + i, 398) for i in range(20)]
    centres = place_labels(anchors, size=44, bounds=BOUNDS)
    assert centres[0] == (500, 400)
    assert len(centres) == 60
    assert_apart(centres, 44)
    for x, y in centres:
        assert 22 <= x <= 978 and 22 <= y <= 778


def test_labels_near_the_edge_move_inwards():
    centres = place_labels([(2, 2), (5, 5)], size=44, bounds=BOUNDS)
    assert_apart(centres, 44)
    assert all(x >= 22 and y >= 22 for x, y in centres)


@pytest.mark.django_db
def test_a_sheet_of_sixty_crowded_ideas_has_two_pages_and_no_overprint(small_open_concertation):
    workshop = WorkshopFactory(concertation=small_open_concertation)
    centre = workshop.commune.geom.point_on_surface
    for n in range(60):
        place = Point(centre.x + (n % 8) * 12, centre.y + (n // 8) * 12, srid=centre.srid)
        place.transform(4326)
        ContributionFactory(
            concertation=small_open_concertation, title=f"Idée serrée {n + 1}", geometry=place
        )

    sheet = workshop_sheet_render(workshop=workshop, progress=lambda *_: None)

    assert [number for number, _c in sheet.labels] == list(range(1, 61))
    assert_apart([centre for _n, centre in sheet.labels], sheet.label_size)
    left, top, right, bottom = MAP_BOX
    half = sheet.label_size / 2
    for _number, (x, y) in sheet.labels:
        assert left <= x - half and x + half <= right and top <= y - half and y + half <= bottom
    # Most were moved off their crowded spot, a leader line back to it.
    assert sum(1 for _n, (x, y) in sheet.labels if (x, y) != sheet.labels[0][1]) == 59

    pdf = PdfReader(io.BytesIO(sheet_encode(sheet, "pdf")))
    assert len(pdf.pages) >= 2
    assert all(page.mediabox.width > page.mediabox.height for page in pdf.pages)
    text = "\n".join(page.extract_text() for page in pdf.pages)
    listed = {int(n) for n in re.findall(r"^(\d+)\. Idée serrée", text, flags=re.MULTILINE)}
    assert listed == set(range(1, 61))
    # Page 1 says the list goes on; the second page continues it.
    assert "Continued on the next page." in pdf.pages[0].extract_text()
    assert "1. Idée serrée 1" in pdf.pages[0].extract_text()
    assert "60. Idée serrée 60" in pdf.pages[-1].extract_text()

    png = Image.open(io.BytesIO(sheet_encode(sheet, "png")))
    assert png.size == (WIDTH, HEIGHT * len(pdf.pages))
    ARTEFACTS.mkdir(exist_ok=True)
    png.save(ARTEFACTS / "workshop-sheet-sixty-ideas.png")


def test_labels_keep_off_the_scale_bar_and_the_north_arrow():
    scale_bar = (0, 700, 300, 800)
    centres = place_labels([(100, 760), (120, 750)], size=44, bounds=BOUNDS, blocked=[scale_bar])
    assert_apart(centres, 44)
    for x, y in centres:
        assert y + 22 <= 700 or x - 22 >= 300, (x, y)
