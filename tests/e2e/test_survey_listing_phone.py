# SPDX-License-Identifier: AGPL-3.0-or-later
"""A resident on a phone (390×844, touch) finds the open questionnaire from the home page
and the list of questionnaires: no horizontal scrolling, axe-core finds no serious or
critical violation, the console no error, and no request leaves the server."""

import pytest

from tests.factories import QuestionnaireFactory

from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def test_a_resident_finds_the_questionnaires_on_a_phone(live_server, browser):
    plan = QuestionnaireFactory(
        title="Plan vélo : vos trajets, vos besoins, vos idées pour les bourgs du territoire",
        results_published=True,
    )
    context = browser.new_context(locale="fr-FR", **PHONE)
    page = context.new_page()
    seen = watch(page, live_server)

    page.goto(f"{live_server.url}/")
    assert plan.title in page.locator("#home-questionnaires").inner_text()
    page.get_by_role("link", name="Tous les questionnaires").tap()
    page.wait_for_url(f"{live_server.url}/consultations/")
    item = page.locator(f"#questionnaire-{plan.slug}")
    assert "Qui peut répondre : habitants connectés" in item.inner_text()
    assert item.get_by_role("link", name=f"Résultats de « {plan.title} »").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    assert seen["errors"] == [] and seen["outside"] == []
    screenshot(page, "survey-list-phone")
    context.close()
