# SPDX-License-Identifier: AGPL-3.0-or-later
"""A relay's journey through the pages alone, in headless Chromium: from the account
page they land on to their workshop, a paper-map file with a bad line refused and then a
good one imported (each line's outcome read on the report), the A3 sheet prepared by the
real worker, followed on its page and downloaded, the summary printed for the mayor, and
the tablet page.
Axe finds no serious or critical violation on any page visited, and no request leaves
the server."""

import io

import pytest
from pypdf import PdfReader

from carto_concertation.contributions.models import Contribution
from tests.factories import WorkshopFactory
from tests.factories.contributions import place_in
from tests.factories.geometry import lonlat, wgs84
from tests.worlds import demo_user

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.worker,
]


def paper_file(workshop, rows) -> bytes:
    lines = ["titre;texte;thème;longitude;latitude"]
    for n, (title, theme) in enumerate(rows):
        lon, lat = lonlat(wgs84(place_in(workshop.concertation, n, workshop.commune.geom)))
        lines.append(f"{title};Dit à la table {n + 1}.;{theme};{lon:.6f};{lat:.6f}")
    return "\n".join(lines).encode()


def upload(page, name: str, content: bytes) -> None:
    page.set_input_files("#id_file", {"name": name, "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Importer le fichier").click()
    page.wait_for_selector("#import-report")


def test_a_relay_imports_a_paper_map_prints_the_a3_sheet_and_the_summary(
    page, live_server, small_open_concertation, celery_worker
):
    relay = demo_user("relais@demo.invalid")
    workshop = WorkshopFactory(concertation=small_open_concertation, created_by=relay)
    seen = watch(page, live_server)
    visited = {}

    def check(name: str) -> None:
        page.wait_for_load_state("networkidle")
        visited[name] = axe_violations(page)
        screenshot(page, f"relay-journey-{name}")

    signed_in(page.context, live_server, relay)
    page.goto(f"{live_server.url}/accounts/")
    check("account")
    page.get_by_role("link", name="Ateliers cartographiques").click()
    page.wait_for_url("**/workshops/")
    check("workshops")
    page.get_by_role("link", name=f"Ouvrir l'atelier de {workshop.commune.name}").click()
    page.wait_for_url(f"**/workshops/{workshop.pk}/")
    check("workshop")

    # A file with an unknown theme on its third line: refused whole, the line named.
    upload(
        page,
        "atelier-faux.csv",
        paper_file(workshop, [("Un banc", "Mobilité"), ("Une piste", "Aviation")]),
    )
    report = page.inner_text("#import-report")
    assert "Rien n’a été importé" in report
    assert "Thème : Thème inconnu : Aviation" in report
    assert "Aviation" in report
    row = page.locator("#import-report tbody tr").nth(1)
    assert row.locator("td").first.inner_text() == "3"
    assert "Refusée" in row.inner_text()
    assert not Contribution.objects.filter(channel="paper").exists()
    check("paper-import-refused")

    upload(
        page,
        "atelier.csv",
        paper_file(workshop, [("Un banc devant la mairie", "Mobilité"), ("Une haie", "")]),
    )
    report = page.inner_text("#import-report")
    ideas = dict(Contribution.objects.filter(channel="paper").values_list("title", "pk"))
    assert set(ideas) == {"Un banc devant la mairie", "Une haie"}
    assert f"Importée comme idée n° {ideas['Une haie']}" in report
    check("paper-import")

    # The A3 sheet: started from the workshop's page, followed on its own, downloaded.
    page.get_by_role("link", name=f"Retour à l'atelier de {workshop.commune.name}").click()
    page.get_by_role("button", name="Préparer la planche A3").click()
    page.wait_for_url(f"**/workshops/{workshop.pk}/jobs/**")
    page.wait_for_selector("#job-download", timeout=120_000)
    check("a3-sheet")
    with page.expect_download() as download:
        page.click("#job-download")
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = pdf.pages[0].extract_text()
    assert "1. Un banc devant la mairie" in text and "2. Une haie" in text

    # The summary, printed.
    page.get_by_role("link", name=f"Retour à l'atelier de {workshop.commune.name}").click()
    page.get_by_role("link", name="Synthèse pour le maire (à imprimer)").click()
    page.wait_for_url(f"**/workshops/{workshop.pk}/summary/")
    check("summary")
    assert page.locator(".summary-ideas li").count() == 2
    page.emulate_media(media="print")
    assert page.locator("body > header").is_hidden()
    assert page.locator(".summary-map > svg").is_visible()
    printed = PdfReader(io.BytesIO(page.pdf(format="A4")))
    printed_text = "\n".join(p.extract_text() for p in printed.pages)
    assert "Un banc devant la mairie" in printed_text and "Une haie" in printed_text
    assert "Se déconnecter" not in printed_text

    # Last, the tablet page (its service worker then serves the workshop pages): its form
    # for points, lines and areas and its list of the ideas kept here pass axe too.
    page.emulate_media(media="screen")
    page.get_by_role("link", name=f"Retour à l'atelier de {workshop.commune.name}").click()
    page.get_by_role("link", name="Saisir les idées sur la tablette").click()
    page.wait_for_selector("body[data-map-drawn]", timeout=30_000)
    check("capture")
    assert page.locator("#capture-kind input[type=radio]").count() == 3
    assert page.inner_text("#capture-queue") == "Rien n'a encore été saisi sur cette tablette."

    assert visited == {name: [] for name in visited}
    assert seen["outside"] == []
    # The console's only error: the refused file's answer (400).
    assert [e for e in seen["errors"] if "status of 400" not in e] == []
    # The only failed answer: the refused file (400), as designed.
    assert [status for status, _url in seen["failed"]] == [400]
