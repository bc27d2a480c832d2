# SPDX-License-Identifier: AGPL-3.0-or-later
"""The planners' dashboard in headless Chromium: the planner signs in (password, then the
code of their authenticator app), the map draws the choropleth (on the zoning tiles, its
style carried by the page) and the heat map, the figures show, a template answers two
contributions at once; no console error, no outside request, axe-core clean."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from carto_concertation.accounts.models import User
from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.models import AnswerTemplate, Contribution
from carto_concertation.contributions.planning.answer_templates import answer_template_create
from tests.accounts.authenticator_app import code_of
from tests.demo_snapshot import demo_load

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "concertation-demo"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the planner's authenticator app's


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    demo_load()
    return Concertation.objects.get(status=Concertation.Status.OPEN)


def test_the_planner_reads_the_dashboard_and_answers(live_server, page, demo):
    TOTP.activate(User.objects.get(email="urbanisme@demo.invalid"), SECRET)
    seen = watch(page, live_server)
    zone_reads, style_reads = [], []
    page.on("request", lambda r: "/stats/zones" in r.url and zone_reads.append(r.url))
    # The style comes with the page, its TileJSONs written in, as the map page's.
    page.on(
        "request",
        lambda r: re.search(r"/tiles/(styles/.*|[^/]+)\.json", r.url) and style_reads.append(r.url),
    )
    page.goto(f"{live_server.url}/accounts/login/?next=/concertations/{demo.slug}/tableau-de-bord/")
    page.fill("#id_login", "urbanisme@demo.invalid")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.fill("#id_code", code_of(SECRET))
    page.press("#id_code", "Enter")
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
    # The choropleth per zone: counts per zone id, drawn on the zoning tiles' zones (no
    # outline sent); the counted zones are also a table in the page.
    page.wait_for_selector("body[data-overlay-drawn^='zones:']", timeout=10_000)
    drawn = int(page.locator("body").get_attribute("data-overlay-drawn").split(":")[1])
    assert drawn > 0
    assert zone_reads and all("/stats/zones/counts" in url for url in zone_reads), zone_reads
    assert any("/tiles/zoning/" in r.url for r in seen["tiles"])
    assert style_reads == []
    assert page.locator("#zone-counts tbody tr").count() > 0
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
    page.select_option("#bulk-template", label="Étude en cours (à l’étude)")
    page.click("#bulk-answer button[type=submit]")
    # The confirmation stays on screen (no reload), the answered rows updated in place.
    page.locator("#bulk-status").filter(has_text="Réponse donnée : 2 contribution").wait_for()
    for idea in published:
        row = page.locator(f"tr:has(#pick-{idea.pk})")
        assert row.locator(".status-cell").inner_text() == "à l’étude"
    assert {c.status for c in Contribution.objects.filter(pk__in=[i.pk for i in published])} == {
        "under_study"
    }

    assert seen["outside"] == []
    assert seen["failed"] == []
    assert seen["errors"] == []


def test_the_planner_rewrites_and_deletes_answer_templates(live_server, page, demo):
    planner = User.objects.get(email="urbanisme@demo.invalid")
    kept, dropped = (
        answer_template_create(
            concertation=demo, user=planner, title=title, status="under_study", text="À l'étude."
        )
        for title in ("Étude en cours", "Hors PLUi")
    )
    seen = watch(page, live_server)
    signed_in(page.context, live_server, planner)
    page.goto(f"{live_server.url}/concertations/{demo.slug}/tableau-de-bord/")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    page.click(".templates summary")
    assert axe_violations(page) == []

    page.click(f'li[data-template="{kept.pk}"] .template-edit')
    assert page.input_value("#template-title") == "Étude en cours"
    page.fill("#template-text", "Retenu pour la révision.")
    page.select_option("#template-status", "retained")
    page.click("#template-form button[type=submit]")
    refused = page.locator("#template-status-message")
    refused.filter(has_text="service").wait_for()  # a closing status names its service
    assert AnswerTemplate.objects.get(pk=kept.pk).status == "under_study"
    page.fill("#template-service", "Service urbanisme")
    page.click("#template-form button[type=submit]")
    page.wait_for_function(
        "() => document.querySelector('#template-status-message').textContent"
        " === 'Modèle enregistré.'"
    )
    kept.refresh_from_db()
    assert (kept.status, kept.text) == ("retained", "Retenu pour la révision.")
    label = page.locator(f'li[data-template="{kept.pk}"] .template-label').inner_text()
    assert label == "Étude en cours (retenue)"
    assert page.locator(f'#bulk-template option[value="{kept.pk}"]').inner_text() == label
    assert page.input_value("#template-title") == "", "the form is ready for a new template"

    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f'li[data-template="{dropped.pk}"] .template-delete')
    page.wait_for_selector(f'li[data-template="{dropped.pk}"]', state="detached")
    assert not AnswerTemplate.objects.filter(pk=dropped.pk).exists()
    assert page.locator(f'#bulk-template option[value="{dropped.pk}"]').count() == 0
    assert AnswerTemplate.objects.filter(concertation=demo).count() == 1

    assert [status for status, _url in seen["failed"]] == [400], "only the refused rewrite"
    # Chromium logs the refused request itself as a console error; nothing else.
    assert all("status of 400" in error for error in seen["errors"]), seen["errors"]
