# SPDX-License-Identifier: AGPL-3.0-or-later
"""A resident looks for a project to lend to, on a phone (390×844, touch): the portal's
map draws the projects' tiles and follows the state chosen in the form, the list twin
filtered by modality shows the loans, and the project's page says its progress, its
terms and where to lend. axe-core finds no serious or critical violation, the console
no error, and no request leaves the server."""

import re

import pytest

from tests.crowdfunding.portal_world import portal_fixture  # noqa: F401

from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
FUNDED = 'input[name="etat"][value="funded"]'
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def test_a_resident_finds_a_loan_on_the_portal_from_a_phone(live_server, browser, settings, portal):
    settings.DEBUG = True
    context = browser.new_context(locale="fr-FR", **PHONE)
    page = context.new_page()
    seen = watch(page, live_server)

    # The map asks for the portal's tiles once its style and TileJSON are read, after it
    # says it is ready: wait for a tile, not only for the flag.
    portal_tile = re.compile(r"/tiles/crowdfunding-portail/\d+/\d+/\d+\.mvt")
    with page.expect_response(lambda r: portal_tile.search(r.url), timeout=30_000):
        page.goto(f"{live_server.url}/financement/")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    assert "5 projets" in page.locator("#portal-counts").inner_text()
    page.locator("#map").scroll_into_view_if_needed()
    screenshot(page, "crowdfunding-portal-phone-map")
    # Ticking a state redraws the map's tiles with that state (the tiles' filter).
    with page.expect_response(lambda r: "status=funded" in r.url, timeout=20_000):
        page.locator(FUNDED).check()
    screenshot(page, "crowdfunding-portal-phone-filters")
    assert axe_violations(page) == []

    # The form works as it would without JavaScript: the list twin follows it.
    page.locator(FUNDED).uncheck()
    page.locator('input[name="modalite"][value="loan_interest"]').check()
    page.locator("#filters button[type=submit]").tap()
    page.wait_for_url("**/financement/?*modalite=loan_interest*")
    cards = page.locator("#project-list .card h3 a")
    assert cards.all_inner_texts() == ["Toiture solaire de l'école"]
    cards.first.tap()

    page.wait_for_selector("#project-title")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    screenshot(page, "crowdfunding-project-phone")
    assert page.locator("progress").get_attribute("value") == "100"
    assert "Un prêt à 1,80 % par an sur 60 mois." in page.locator("#loan-rate").inner_text()
    link = page.locator("#campaign-link")
    assert link.get_attribute("href") == "https://www.collecticity.fr/projets/toiture"
    assert "noopener" in link.get_attribute("rel") and "Collecticity" in link.inner_text()
    assert axe_violations(page) == []
    assert seen["errors"] == [], seen["errors"]
    assert seen["outside"] == [], seen["outside"]
    assert seen["failed"] == [], seen["failed"]
    context.close()
