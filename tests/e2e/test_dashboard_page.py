# SPDX-License-Identifier: AGPL-3.0-or-later
"""The planners' dashboard in headless Chromium: the planner signs in, the map draws
the choropleth and the heat map, the figures show, a template answers two
contributions at once; no console error, no outside request, axe-core clean."""

import pytest
from django.core.management import call_command

from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.models import Contribution

from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "concertation-demo"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo")
    return Concertation.objects.get(status=Concertation.Status.OPEN)


def test_the_planner_reads_the_dashboard_and_answers(live_server, page, demo):
    seen = watch(page, live_server)
    page.goto(f"{live_server.url}/accounts/login/?next=/concertations/{demo.slug}/tableau-de-bord/")
    page.fill("#id_login", "urbanisme@demo.invalid")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    page.wait_for_load_state("networkidle")
    screenshot(page, "dashboard")

    counted = Contribution.objects.filter(concertation=demo).exclude(
        status__in=("merged", "withdrawn")
    )
    assert page.locator("#total").inner_text().split()[0] == str(counted.count())
    assert page.locator("#chart-by_channel tbody tr").count() == (
        counted.values("channel").distinct().count()
    )
    assert page.locator("body").get_attribute("data-overlay") == "zones"
    assert axe_violations(page) == []

    page.check("#overlay-heatmap")
    page.wait_for_selector("body[data-overlay=heatmap]", timeout=10_000)

    page.click(".templates summary")
    page.fill("#template-title", "Étude en cours")
    page.select_option("#template-status", "under_study")
    page.click("#template-form button[type=submit]")
    page.wait_for_function(
        "() => document.querySelector('#template-status-message').textContent !== ''"
    )
    published = list(counted.filter(status="published").order_by("-created_at")[:2])
    for idea in published:
        page.check(f"#pick-{idea.pk}")
    page.select_option("#bulk-template", label="Étude en cours")
    with page.expect_navigation():
        page.click("#bulk-answer button[type=submit]")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    assert {c.status for c in Contribution.objects.filter(pk__in=[i.pk for i in published])} == {
        "under_study"
    }

    assert seen["outside"] == []
    assert seen["failed"] == []
    assert seen["errors"] == []
