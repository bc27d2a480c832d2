# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: what a resident types, `&`, `<` and `>` included, reads back
exactly in the panel, the list and the list without JavaScript; hidden, the idea is its
placeholder there and nothing else."""

import pytest

from carto_concertation.accounts.models import User
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.moderation import contribution_hide

from .sessions import signed_in
from .test_map_page import demo, watch  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

TITLE = "vélo & piétons <test>"
TEXT = "Entre 8 h & 9 h, 1 < 2 > 0 : <b>pas de gras</b>."


def test_typed_text_reads_back_exactly_then_hides(live_server, browser, demo):  # noqa: F811
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen = watch(page, live_server)
    signed_in(context, live_server, User.objects.get(email="habitant@demo.invalid"))
    page.goto(f"{live_server.url}/concertations/{demo.slug}/")
    page.wait_for_selector("body[data-contributions-drawn]", timeout=30_000)
    page.click("#propose")
    # Place first (the crosshair at the map's centre), then write.
    page.get_by_role("button", name="Valider l'emplacement").click()
    page.wait_for_selector("#idea-form")
    page.fill("#idea-title", TITLE)
    page.fill("#idea-text", TEXT)
    page.locator("#idea-themes input").first.check()
    page.locator("#idea-form button[type=submit]").click()
    page.wait_for_selector("#panel .text", timeout=20_000)

    idea = Contribution.objects.get(concertation=demo, title=TITLE)
    assert idea.text == TEXT
    assert page.locator("#panel-title").inner_text() == TITLE
    assert page.locator("#panel .text").inner_text() == TEXT
    assert page.locator("#panel b").count() == 0
    page.wait_for_function(
        "title => [...document.querySelectorAll('#contribution-list button')]"
        ".some(b => b.textContent === title)",
        arg=TITLE,
    )
    assert seen["errors"] == []

    without_js = browser.new_context(locale="fr-FR", java_script_enabled=False)
    twin = without_js.new_page()
    twin.goto(f"{live_server.url}/concertations/{demo.slug}/?ordering=recent")
    assert twin.locator("#contribution-list summary").first.inner_text() == TITLE

    moderator = User.objects.get(email="moderation@demo.invalid")
    contribution_hide(contribution=idea, actor=moderator, reason="Hors charte")
    twin.goto(f"{live_server.url}/concertations/{demo.slug}/?status=hidden")
    listing = twin.locator("#contribution-list").inner_text()
    assert "Masqué par la modération : Hors charte" in listing
    assert "vélo" not in listing
    assert twin.locator("#contribution-list details").count() == 0
    without_js.close()
    context.close()
