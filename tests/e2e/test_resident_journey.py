# SPDX-License-Identifier: AGPL-3.0-or-later
"""A resident's journey on a phone (390×844, touch), through the pages alone: signed
in, they place an idea first with the crosshair on a map that fills the screen, write
it, add a photo, see the idea nearby that says the same, post, and edit it from its
page; open another idea, report it with a reason, support it then withdraw their
support, open its page and follow it. On every page visited axe-core finds no serious or critical violation, the
console no error, and no request leaves the server."""

import io

import pytest
from PIL import Image

from carto_concertation.accounts.models import User
from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.models import Contribution, Follow
from carto_concertation.contributions.services import contribution_create
from carto_concertation.engagement.models import Report
from tests.demo_snapshot import demo_load

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
TWIN_TITLE = "Un abri pour les vélos devant la mairie"


@pytest.fixture
def world(settings):
    """The demo, and an idea exactly where the map opens (its centre, where the
    crosshair is): the near-duplicate the resident is shown."""
    settings.DEBUG = True
    demo_load()
    concertation = Concertation.objects.get(status=Concertation.Status.OPEN)
    centre = concertation.perimeter.centroid.transform(4326, clone=True)
    twin = contribution_create(
        concertation=concertation,
        author=User.objects.get(email="moderation@demo.invalid"),
        title=TWIN_TITLE,
        text="Un abri couvert pour les vélos, avec des arceaux.",
        geometry=centre,
    )
    return concertation, twin


def a_photo(tmp_path) -> str:
    path = tmp_path / "abri.jpg"
    output = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 200)).save(output, "JPEG", quality=80)
    path.write_bytes(output.getvalue())
    return str(path)


def clean(page, seen, where: str) -> None:
    assert axe_violations(page) == [], where
    assert seen["errors"] == [], (where, seen["errors"])
    assert seen["outside"] == [], (where, seen["outside"])


def test_a_resident_posts_with_a_photo_reports_and_supports_on_a_phone(
    live_server, browser, world, tmp_path
):
    concertation, twin = world
    resident = User.objects.get(email="habitant@demo.invalid")
    context = browser.new_context(locale="fr-FR", **PHONE)
    signed_in(context, live_server, resident)
    page = context.new_page()
    seen = watch(page, live_server)

    # The concertation's page: its steps and closing date, the map, the legend folded
    # under the map (never over it).
    page.goto(f"{live_server.url}/concertations/{concertation.slug}/")
    page.wait_for_selector("body[data-contributions-drawn]", timeout=30_000)
    assert "Étape en cours : contributions ouvertes" in page.locator(".phases summary").inner_text()
    page.locator(".phases summary").tap()
    assert "Information" in page.locator(".phases ol").inner_text()
    assert page.locator("details.layers").get_attribute("open") is None
    legend, map_box = (
        page.locator("details.layers").bounding_box(),
        page.locator("#map").bounding_box(),
    )
    assert legend["y"] >= map_box["y"] + map_box["height"] - 1
    clean(page, seen, "map page")

    # Place first: a full-screen map, a crosshair, nothing over its centre.
    page.locator("#propose").tap()
    page.wait_for_selector("#placing")
    page.wait_for_function(
        "() => document.querySelector('#placing .zone-under').textContent.includes('Zone')"
    )
    box = page.locator("#map").bounding_box()
    assert box["width"] == 390 and box["y"] == 0 and box["height"] > 844 / 2
    cross = page.locator(".crosshair").bounding_box()
    centre = (cross["x"] + cross["width"] / 2, cross["y"] + cross["height"] / 2)
    assert abs(centre[0] - box["width"] / 2) < 2 and abs(centre[1] - box["height"] / 2) < 2
    under = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).className", [centre[0], centre[1]]
    )
    assert "maplibregl-canvas" in under, under  # the tap goes to the map
    assert not page.locator("details.layers").is_visible()
    screenshot(page, "resident-placing-phone")
    clean(page, seen, "placing")
    page.get_by_role("button", name="Valider l'emplacement").tap()

    # Then write: the twin nearby is offered, linked to its page.
    page.wait_for_selector("#idea-form")
    page.fill("#idea-title", "Un abri pour les vélos")
    similar = page.locator(".similar a")
    similar.first.wait_for(timeout=10_000)
    assert similar.first.inner_text() == TWIN_TITLE
    assert similar.first.get_attribute("href").endswith(f"/idees/{twin.pk}/")
    page.fill("#idea-text", "Près de la mairie, des arceaux à l'abri de la pluie.")
    page.locator("#idea-themes input").first.check()
    page.set_input_files("#idea-photos", a_photo(tmp_path))
    page.wait_for_selector(".photo-previews img[src^='data:image/jpeg']")
    assert page.get_by_role("button", name="Retirer la photo 1").is_visible()
    clean(page, seen, "form")
    page.locator("#idea-form button[type=submit]").tap()
    page.wait_for_selector("#panel-title:text('Un abri pour les vélos')", timeout=20_000)
    idea = Contribution.objects.get(title="Un abri pour les vélos")
    assert idea.author == resident
    assert idea.photos.count() == 1
    page.wait_for_selector("#panel img")  # the photo, re-encoded, served by us
    screenshot(page, "resident-posted-phone")

    # Their idea's page: its photo, and the author's edit, which works without the map.
    page.goto(f"{live_server.url}/concertations/{concertation.slug}/idees/{idea.pk}/")
    page.wait_for_selector(".photos img")
    clean(page, seen, "own idea page")
    page.get_by_role("link", name="Modifier mon idée").tap()
    page.fill("#id_title", "Un abri pour les vélos à la mairie")
    clean(page, seen, "edit page")
    page.get_by_role("button", name="Enregistrer").tap()
    page.wait_for_selector("h1:text('Un abri pour les vélos à la mairie')")
    idea.refresh_from_db()
    assert idea.title == "Un abri pour les vélos à la mairie"

    # Another idea, from its link: report it with a reason, support it, withdraw.
    lon, lat = twin.geom.transform(4326, clone=True).coords
    page.goto(
        f"{live_server.url}/concertations/{concertation.slug}/?idee={twin.pk}&lon={lon}&lat={lat}"
    )
    page.wait_for_selector(f"#panel-title:text('{TWIN_TITLE}')", timeout=20_000)
    page.locator("#panel details.report > summary").first.tap()
    page.fill(f"#report-idea-{twin.pk}", "Doublon d'une idée plus ancienne.")
    page.get_by_role("button", name="Envoyer le signalement").first.tap()
    page.wait_for_selector("#panel details.report .message")
    assert Report.objects.of(twin).get().reason == "Doublon d'une idée plus ancienne."
    page.get_by_role("button", name="Je soutiens cette idée").tap()
    page.wait_for_selector("#panel .votes .mine")
    twin.refresh_from_db()
    assert twin.votes_for == 1
    clean(page, seen, "idea panel")
    page.get_by_role("button", name="Retirer mon soutien").tap()
    page.wait_for_selector("#panel .votes p:text('0 soutien(s)')")
    twin.refresh_from_db()
    assert twin.votes_for == 0
    screenshot(page, "resident-panel-phone")

    # Its page, the permalink: follow it; the page links back to the map.
    page.locator("#panel a", has_text="Page de l'idée").tap()
    page.wait_for_url(f"**/idees/{twin.pk}/")
    page.wait_for_selector("body[data-idea-map-ready]", state="attached", timeout=20_000)
    assert page.locator("#share").is_visible()
    assert f"idee={twin.pk}" in page.locator("#back-to-map").get_attribute("href")
    clean(page, seen, "idea page")
    page.get_by_role("button", name="Suivre cette idée").tap()
    page.wait_for_selector("text=Ne plus suivre")
    assert Follow.objects.filter(contribution=twin, user=resident).exists()
    clean(page, seen, "idea page, followed")
    assert seen["failed"] == []
    context.close()
