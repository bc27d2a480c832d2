# SPDX-License-Identifier: AGPL-3.0-or-later
"""A resident reports a street light out on a phone (390×844, touch), through the pages
alone: signed in, they open the space's map of the reports, tap "Signaler un problème",
place the problem first with the crosshair on a map that fills the screen, pick the
category as a tree (Éclairage public, then Lampadaire éteint), are shown the report of
the same category a few metres away with its "Moi aussi" (in the form, and on the map
when they place it again), answer the category's
question, add a photo, file it, and read it on its page; another time, they say "Moi
aussi" to the twin rather than file it again. On every page visited axe-core
finds no serious or critical violation, the console no error, and no request leaves the
server."""

import io

import pytest
from PIL import Image

from carto_concertation.accounts.models import User
from carto_concertation.concertations.models import Concertation
from carto_concertation.signalements.models import Category, Report
from carto_concertation.signalements.services.submission import report_submit
from tests.demo_snapshot import demo_load

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
TWIN = "Le lampadaire devant la mairie clignote puis s'éteint."
MINE = "Deux lampadaires éteints rue de l'Église, depuis samedi."


@pytest.fixture
def world(settings):
    """The demo (its spaces hold the reports), and a street light out exactly where the
    map opens (its centre, where the crosshair is): the twin the resident is shown."""
    settings.DEBUG = True
    demo_load()
    concertation = Concertation.objects.get(status=Concertation.Status.OPEN)
    centre = concertation.perimeter.centroid.transform(4326, clone=True)
    lamp = Category.objects.get(territory=concertation.territory, code="lampadaire-eteint")
    twin = report_submit(
        territory=concertation.territory,
        category=lamp,
        point=centre,
        description=TWIN,
        answers={"nombre": 1},
        author=User.objects.get(email="moderation@demo.invalid"),
    )
    return concertation, twin


def a_photo(tmp_path) -> str:
    path = tmp_path / "lampadaire.jpg"
    output = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 30, 60)).save(output, "JPEG", quality=80)
    path.write_bytes(output.getvalue())
    return str(path)


def clean(page, seen, where: str) -> None:
    assert axe_violations(page) == [], where
    assert seen["errors"] == [], (where, seen["errors"])
    assert seen["outside"] == [], (where, seen["outside"])


def fits_the_screen(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_resident_reports_a_street_light_out_on_a_phone(live_server, browser, world, tmp_path):
    concertation, twin = world
    resident = User.objects.get(email="habitant@demo.invalid")
    context = browser.new_context(locale="fr-FR", **PHONE)
    signed_in(context, live_server, resident)
    page = context.new_page()
    seen = watch(page, live_server)

    # The space's map of the reports, and its list twin with the twin in it.
    page.goto(f"{live_server.url}/signalements/{concertation.slug}/")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    assert TWIN[:40] in page.locator("#report-list").inner_text()
    assert fits_the_screen(page)
    clean(page, seen, "map of the reports")
    page.get_by_role("link", name="Signaler un problème").tap()

    # Place first: a full-screen map, a crosshair over its centre, nothing over it.
    page.wait_for_selector("#placing")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    box = page.locator("#map").bounding_box()
    assert box["width"] == 390 and box["y"] == 0 and box["height"] > 844 / 2
    cross = page.locator(".crosshair").bounding_box()
    centre = (cross["x"] + cross["width"] / 2, cross["y"] + cross["height"] / 2)
    assert abs(centre[0] - box["width"] / 2) < 2 and abs(centre[1] - box["height"] / 2) < 2
    under = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).className", [centre[0], centre[1]]
    )
    assert "maplibregl-canvas" in under, under
    screenshot(page, "signalement-placing-phone")
    clean(page, seen, "placing")
    page.get_by_role("button", name="Valider l'emplacement").tap()

    # The form: the place is kept, the category is a tree, parent then child.
    page.wait_for_selector("#place-chosen:not([hidden])")
    assert page.locator("#id_longitude").input_value() != ""
    page.select_option("#category-parent", label="Éclairage public")
    page.select_option("#category-child", label="Lampadaire éteint")
    # The street light out a few metres away, with its "Moi aussi" and its page.
    twin_link = page.locator(f"#nearby a[href$='/signalements/{twin.pk}/']")
    twin_link.wait_for(timeout=10_000)
    assert TWIN in page.locator("#nearby").inner_text()
    assert page.locator("#nearby button.me-too").count() == 1
    # Placing again, the category known: the twin is shown while placing.
    page.get_by_role("button", name="Changer l'emplacement").tap()
    page.locator(f"#placing a[href$='/signalements/{twin.pk}/']").wait_for(timeout=10_000)
    assert page.locator("#placing button.me-too").count() == 1
    clean(page, seen, "placing again, the twin nearby")
    page.get_by_role("button", name="Valider l'emplacement").tap()
    page.wait_for_selector("#place-chosen:not([hidden])")
    # Its question, then the rest.
    page.fill("#id_q-nombre", "2")
    page.fill("#id_description", MINE)
    page.set_input_files("#id_photos", a_photo(tmp_path))
    assert fits_the_screen(page)
    clean(page, seen, "form")
    page.locator("#report-send").tap()

    # Its page: the category, the answer, the photo, the history, the permalink.
    page.wait_for_selector("#report-title", timeout=20_000)
    report = Report.objects.get(author=resident, description=MINE)
    assert page.url == f"{live_server.url}/signalements/{report.pk}/"
    assert report.description == MINE
    assert report.answers == {"nombre": 2}
    assert report.photos.count() == 1
    assert report.state == Report.State.OPEN
    assert "Lampadaire éteint" in page.locator("#report-title").inner_text()
    assert MINE in page.locator(".description").inner_text()
    assert "Combien de lampadaires ?" in page.locator(".answers").inner_text()
    page.wait_for_selector(".photos img")
    page.wait_for_function("() => document.querySelector('.photos img').naturalWidth > 0")
    assert page.locator("#permalink").input_value().endswith(f"/signalements/{report.pk}/")
    assert "Ouvert" in page.locator("#report-state").inner_text()
    page.wait_for_selector("body[data-report-map-ready]", timeout=30_000)
    assert fits_the_screen(page)
    screenshot(page, "signalement-filed-phone")
    clean(page, seen, "report page")

    # Another time, the same street light: "Moi aussi" rather than a twin.
    page.goto(f"{live_server.url}/signalements/{concertation.slug}/signaler/")
    page.wait_for_selector("#placing")
    page.get_by_role("button", name="Valider l'emplacement").tap()
    page.select_option("#category-parent", label="Éclairage public")
    page.select_option("#category-child", label="Lampadaire éteint")
    twin_item = page.locator("#nearby li", has=page.locator(f"a[href$='/signalements/{twin.pk}/']"))
    twin_item.locator("button.me-too").tap()
    page.wait_for_url(f"{live_server.url}/signalements/{twin.pk}/")
    assert "vous suivez ce signalement" in page.locator("main").inner_text()
    assert twin.followers.filter(user=resident).exists()
    assert page.get_by_role("button", name="Ne plus suivre").is_visible()
    clean(page, seen, "the twin followed")
    context.close()
