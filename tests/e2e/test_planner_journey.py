# SPDX-License-Identifier: AGPL-3.0-or-later
"""The planner's journey through the pages alone, in headless Chromium: from the
concertation's page to the dashboard, an idea opened from its title and answered in
the planner's own words, each export downloaded, a bilan generated and published; then
a resident, not signed in, downloads it from the concertation's page. axe-core finds no
serious or critical violation on any page visited; no request leaves the server."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from odf.opendocument import load
from openpyxl import load_workbook

from carto_concertation.concertations.models import Phase
from carto_concertation.contributions.models import (
    AnswerTemplate,
    BilanPublication,
    Contribution,
)
from tests.factories import UserFactory
from tests.worlds import demo_user, make_idea, small_world

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
OWN_WORDS = "Nous peindrons un passage piéton devant l'école avant la rentrée de septembre."


@pytest.fixture
def world(eager_tasks):
    """The small world's concertation, its contributions phase over and its "bilan"
    phase begun an hour ago, with three ideas received while it was open."""
    concertation = small_world(title="Révision du PLUi du petit monde")
    ideas = [
        make_idea(concertation, UserFactory(), libelle=libelle, title=title, text=text)
        for libelle, title, text in (
            ("UE", "Un passage piéton devant l'école", "Les enfants traversent sans protection."),
            ("A", "Rouvrir le chemin des fermes", "Le chemin est fermé depuis dix ans."),
            ("UB", "Des bancs place de la mairie", "Pour s'asseoir à l'ombre."),
        )
    ]
    now = timezone.now()
    concertation.phases.filter(kind=Phase.Kind.CONTRIBUTIONS).update(
        starts_at=now - timedelta(days=30), ends_at=now - timedelta(hours=1)
    )
    Phase.objects.create(
        concertation=concertation, kind=Phase.Kind.BILAN, starts_at=now - timedelta(hours=1)
    )
    AnswerTemplate.objects.create(
        concertation=concertation,
        title="Sécurité routière",
        status="partly_retained",
        text="La commune étudiera un aménagement.",
        service="Service urbanisme",
    )
    return concertation, ideas


def clean(page, seen, name: str) -> None:
    """The page is drawn, axe-core clean, and nothing went elsewhere."""
    screenshot(page, f"planner-{name}")
    assert axe_violations(page) == [], name
    assert seen["outside"] == [], name
    assert seen["errors"] == [], (name, seen["errors"])


def downloaded(page, selector: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.click(selector)
    download = info.value
    return download.suggested_filename, download.path().read_bytes()


def test_the_planner_answers_exports_and_publishes_the_bilan(live_server, browser, world):
    concertation, ideas = world
    idea = ideas[0]
    planner = demo_user("urbanisme@demo.invalid")
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    signed_in(context, live_server, planner)
    page = context.new_page()
    seen = watch(page, live_server)

    # The concertation's page leads to the dashboard.
    page.goto(f"{live_server.url}/concertations/{concertation.slug}/")
    page.click(f'a[href="/concertations/{concertation.slug}/tableau-de-bord/"]')
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert page.locator("#legend-classes li").count() >= 2  # the choropleth's classes
    page.check("#measure-density")
    page.wait_for_selector("body[data-legend='zones:density']", timeout=10_000)
    assert "km²" in page.locator("#legend-title").inner_text()
    # A zone clicked: its count and its ideas (links to their planner's page).
    page.click("#map canvas", position={"x": 640, "y": 270})
    page.wait_for_selector("body[data-detail]", timeout=10_000)
    assert page.locator("#area-detail").is_visible()
    assert "Contributions ici" in page.locator("#area-detail-count").inner_text()
    clean(page, seen, "dashboard")

    # The idea, opened from its title, answered in the planner's own words.
    page.click(f"text={idea.title}")
    page.wait_for_url(f"**/idees/{idea.pk}/traitement/")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    assert "UE" in page.locator("#idea-zones").inner_text()
    clean(page, seen, "idea")
    # A template only fills the form; the planner then writes their own words.
    page.select_option("#answer-template", label="Sécurité routière (partiellement retenue)")
    assert page.input_value("#id_answer") == "La commune étudiera un aménagement."
    assert page.input_value("#id_status") == "partly_retained"
    page.select_option("#id_status", "retained")
    page.fill("#id_answer", OWN_WORDS)
    page.fill("#id_answer_service", "Service voirie")
    page.click("#answer-form button[value=answer]")
    page.locator("[role=status]").filter(has_text="La réponse est enregistrée.").wait_for()
    idea.refresh_from_db()
    assert (idea.status, idea.answer, idea.answer_service) == (
        Contribution.Status.RETAINED,
        OWN_WORDS,
        "Service voirie",
    )
    page.fill("#id_text", "Voir avec l'école pour le marquage.")
    page.click("#note-form button[value=note]")
    page.locator("#notes").filter(has_text="Voir avec l’école").or_(
        page.locator("#notes").filter(has_text="Voir avec l'école")
    ).wait_for()
    clean(page, seen, "idea-answered")

    # Every export, downloaded from the dashboard's buttons.
    page.click("text=Retour au tableau de bord")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    files = {}
    for fmt in ("geojson", "csv", "gpkg", "ods", "xlsx"):
        name, content = downloaded(page, f'#exports a[href$="format={fmt}"]')
        assert name.endswith(f".{fmt}"), name
        files[fmt] = content
    features = json.loads(files["geojson"])["features"]
    assert {f["properties"]["title"] for f in features} == {i.title for i in ideas}
    assert OWN_WORDS in files["csv"].decode("utf-8-sig")
    gpkg = io.BytesIO(files["gpkg"])
    assert gpkg.read(16) == b"SQLite format 3\x00"
    sheet = load_workbook(io.BytesIO(files["xlsx"])).active
    assert next(sheet.iter_rows(values_only=True))[:2] == ("Numéro", "Titre")
    assert load(io.BytesIO(files["ods"])).spreadsheet is not None
    with zipfile.ZipFile(io.BytesIO(files["ods"])) as ods:
        assert "Titre" in ods.read("content.xml").decode()

    # The bilan, generated (the task runs in this process) then published.
    page.click("#bilan-start")
    page.wait_for_selector("#bilan-list form button", timeout=120_000)
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    page.click("#bilan-list form button")
    page.locator("[role=status]").filter(has_text="Le bilan est publié").wait_for()
    assert BilanPublication.objects.get(concertation=concertation).published_by == planner
    clean(page, seen, "bilan-published")
    context.close()

    # A resident, not signed in, finds it on the concertation's page.
    resident = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = resident.new_page()
    seen = watch(page, live_server)
    page.goto(f"{live_server.url}/concertations/{concertation.slug}/")
    page.wait_for_selector("#published-bilan")
    name, content = downloaded(page, "#published-bilan a[href$='bilan.pdf']")
    assert name == f"bilan-{concertation.slug}.pdf"
    assert content.startswith(b"%PDF")
    clean(page, seen, "resident-bilan")
    resident.close()
