# SPDX-License-Identifier: AGPL-3.0-or-later
"""A resident reads a questionnaire's published results in Chromium: the collective
answer, each question's chart and table, and a map question's heat map drawn by the
page's module (surveys/results-map.js) from the public, thresholded cells. axe-core finds
no serious or critical violation, the console no error, no request leaves the server."""

import pytest

from tests.surveys.results_world import results_world

from .test_map_page import axe_violations, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_resident_reads_the_published_results(page, live_server):
    world = results_world(responses=48, seed=5)
    questionnaire = world.questionnaire
    questionnaire.results_published = True
    questionnaire.results_summary = "Nous retenons la piste le long du canal."
    questionnaire.save()
    seen = watch(page, live_server)

    page.goto(f"{live_server.url}/consultations/{questionnaire.slug}/resultats/")
    assert page.locator("h1").inner_text() == "Résultats de Plan vélo <2026>"
    assert "Nous retenons la piste le long du canal." in page.locator("main").inner_text()
    # The heat map's module shows the map and draws the server's cells on it.
    points = page.locator('.survey-map[data-code="points"]')
    points.and_(page.locator("[data-ready='true']")).wait_for(timeout=30_000)
    assert points.is_visible()
    assert page.locator("#result-single svg[role='img']").is_visible()
    assert page.locator("#result-single table").is_visible()
    assert axe_violations(page) == []
    assert seen["errors"] == []
    assert seen["outside"] == []
    assert [failed for failed in seen["failed"] if "/api/" in failed[1]] == []
