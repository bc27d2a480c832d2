# SPDX-License-Identifier: AGPL-3.0-or-later
"""A resident reads a questionnaire's published results in Chromium: the collective
answer, each question's chart and table, and a map question's heat map drawn by the
page's module (surveys/results-map.js) from the public, thresholded cells; a planner
crosses two questions and sees every marker. axe-core finds no serious or critical
violation, the console no error, no request leaves the server."""

import pytest

from tests.surveys.results_world import results_world

from .sessions import signed_in
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


def test_a_planner_crosses_two_questions_and_sees_every_marker(page, live_server):
    world = results_world(responses=32, seed=9)
    slug = world.questionnaire.slug
    seen = watch(page, live_server)
    signed_in(page.context, live_server, world.planner)

    page.goto(f"{live_server.url}/consultations/gestion/{slug}/resultats/")
    page.select_option("#id_rows", "single")
    page.select_option("#id_columns", "multiple")
    page.get_by_role("button", name="Croiser").click()
    page.locator("#crosstab").wait_for()
    # The organisers' map draws every marker (points), not squares.
    page.locator('.survey-map[data-code="points"][data-ready="true"]').wait_for(timeout=30_000)
    assert page.locator('.survey-map[data-code="points"]').get_attribute("data-full") == "true"
    assert axe_violations(page) == []
    assert seen["errors"] == []
    assert seen["outside"] == []
