# SPDX-License-Identifier: AGPL-3.0-or-later
"""A planner builds a questionnaire through the organisers' pages alone, in headless
Chromium and in French: creates it, adds two pages, a single choice question with its
choices, a map question (points, at most three, a follow-up choice and a comment on each
marker) shown only to those who chose "Oui", and publishes it. axe-core finds no serious
or critical violation on any page visited; no request leaves the server."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carto_concertation.surveys.models import Question, Questionnaire
from tests.factories.accounts import user_with_role
from tests.factories.territories import TerritoryFactory

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def clean(page, seen, name: str) -> None:
    screenshot(page, f"survey-builder-{name}")
    assert axe_violations(page) == [], name
    assert seen["outside"] == [], name
    assert seen["errors"] == [], (name, seen["errors"])


def _add_question(page, number: int, kind: str, label: str, code: str) -> None:
    form = page.locator(f"#page-{number} form.question-add")
    form.locator("select[name$='-kind']").select_option(kind)
    form.locator("input[name$='-label']").fill(label)
    form.locator("input[name$='-code']").fill(code)
    form.locator("button[value=question-add]").click()
    page.wait_for_url(f"**/questions/{code}/")


def test_a_planner_builds_a_questionnaire_with_a_map_question_and_a_condition(live_server, browser):
    territory = TerritoryFactory(communes=2, name="Communauté du Val")
    planner = user_with_role("planner", territory=territory)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    signed_in(context, live_server, planner)
    page = context.new_page()
    seen = watch(page, live_server)

    page.goto(f"{live_server.url}/consultations/gestion/")
    clean(page, seen, "home")
    now = timezone.localtime()
    page.fill("#id_title", "Plan vélo")
    page.fill("#id_opens_at", now.strftime("%Y-%m-%dT%H:%M:%S"))
    page.fill("#id_closes_at", (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S"))
    page.click("#questionnaire-create-form button[type=submit]")
    page.wait_for_url("**/consultations/gestion/plan-velo/")
    clean(page, seen, "questionnaire")
    manage = page.url

    for title in ("Vos trajets", "Sur la carte"):
        page.fill("#id_new-page-title", title)
        page.click("#page-add-form button[value=page-add]")
        page.locator(".survey-page h3").filter(has_text=title).wait_for()

    _add_question(page, 1, "single", "Vous déplacez-vous à vélo ?", "velo")
    for label in ("Oui", "Non"):
        page.fill("#id_choice-label", label)
        page.click("#choice-add-form button[value=choice-add]")
        page.locator(f"input[value='{label}']").wait_for()
    clean(page, seen, "choices")

    page.goto(manage)
    _add_question(page, 2, "points", "Où vous sentez-vous en danger ?", "danger")
    page.fill("#id_max_count", "3")
    page.check("#id_marker_comment")
    page.fill("#id_marker_choice_label", "Pourquoi ?")
    page.click("#question-form button[value=settings]")
    page.wait_for_load_state()
    page.fill("#id_marker-label", "Trafic")
    page.click("#marker-add-form button[value=marker-add]")
    page.locator("input[value='Trafic']").wait_for()
    page.locator("#condition-form").get_by_label("Oui").check()
    page.click("#condition-form button[value=condition]")
    page.wait_for_load_state()
    clean(page, seen, "map-question")

    page.goto(manage)
    page.click("#publish-button")
    page.locator("button[value=unpublish]").wait_for()
    clean(page, seen, "published")

    questionnaire = Questionnaire.objects.get(slug="plan-velo")
    assert questionnaire.is_published and questionnaire.territory == territory
    danger = Question.objects.get(page__questionnaire=questionnaire, code="danger")
    assert (danger.kind, danger.max_count, danger.marker_comment) == ("points", 3, True)
    assert danger.marker_choice_label == "Pourquoi ?"
    assert list(danger.choices.values_list("label", flat=True)) == ["Trafic"]
    assert danger.shown_if_question.code == "velo"
    assert list(danger.shown_if_choices.values_list("label", flat=True)) == ["Oui"]
    assert danger.page.position == 1
    context.close()
