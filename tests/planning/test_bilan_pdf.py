# SPDX-License-Identifier: AGPL-3.0-or-later
"""The bilan's PDF as Chromium prints it: a table of contents, the points numbered on
the maps as in the list, no map control printed, no page left half empty by a forced
break (read back with pypdf)."""

import io
import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from carto_concertation.contributions.moderation import contribution_answer
from carto_concertation.contributions.planning.bilan import bilan_build, bilan_path
from tests.factories import UserFactory
from tests.worlds import make_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def printed(open_concertation, planner, eager_tasks, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    mobility = open_concertation.themes.get(name="Mobilité")
    ideas = [
        make_idea(
            open_concertation,
            UserFactory(),
            libelle=libelle,
            title=f"Idée numéro {n} en zone {libelle}",
            text="Un texte assez long pour occuper quelques lignes. " * 4,
            theme_ids=[mobility.pk],
        )
        for n, libelle in enumerate(["UE", "UB", "A", "N"] * 3)
    ]
    contribution_answer(
        contribution=ideas[0],
        actor=planner,
        status="retained",
        answer="Retenue.",
        answer_service="Urbanisme",
    )
    with translation.override("fr"):
        bilan_build(
            concertation_id=open_concertation.pk,
            job_id="printed",
            language="fr",
            progress=lambda *_: None,
        )
    html = bilan_path(job_id="printed", fmt="html").read_text()
    pdf = PdfReader(io.BytesIO(bilan_path(job_id="printed", fmt="pdf").read_bytes()))
    return ideas, html, pdf


def test_the_pdf_has_a_table_of_contents_and_numbered_points(printed):
    ideas, html, pdf = printed
    first = pdf.pages[0].extract_text()
    assert "Sommaire" in first
    for title in ("1. La démarche", "2. La participation", "3. Cartes", "5. Les contributions"):
        assert title in first, title
    # Every point of the list is drawn with its number on the zoning map.
    numbers = re.findall(r'data-number=\\"(\d+)\\"', html)
    listed = re.findall(r"<h3>n° (\d+) — ", html)
    assert listed == [str(n) for n in range(1, len(ideas) + 1)]
    assert set(listed) <= set(numbers)


def test_no_map_control_is_printed(printed):
    _ideas, html, pdf = printed
    assert '"zoomControl": false' in html
    assert '"attributionControl": false' in html
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Leaflet" not in text and "Leaﬂet" not in text  # the PDF's text has the ligature
    assert "\n+\n−\n" not in text  # the zoom buttons
    assert " mi" not in text  # the scale bar is metric only


def test_no_forced_page_break_leaves_half_pages(printed):
    _ideas, html, pdf = printed
    assert "break-before: page" not in html and "page-break-before: always" not in html
    # What is left: every page but the last holds a good share of text, or maps.
    maps = re.findall(r'<section class="bilan-map"[^>]*>\s*<h3>([^<]+)</h3>', html)
    assert len(maps) == 2 + 3  # zoning, communes, one per theme
    for number, page in enumerate(pdf.pages[:-1], start=1):
        text = page.extract_text().strip()
        assert len(text) > 300 or any(title in text for title in maps), (number, text)
