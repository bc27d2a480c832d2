# SPDX-License-Identifier: AGPL-3.0-or-later
"""A resident signs up, confirms the address and signs in on a phone-sized screen, in French."""

import re
import uuid

import pytest

from carto_concertation.accounts.models import User

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "un chemin creux sous les tilleuls"


def fits_the_screen(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_sign_up_confirm_and_sign_in_on_a_phone(live_server, browser, mailoutbox):
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    page = context.new_page()
    # allauth sends one confirmation per address every 3 minutes, counted in the shared
    # Redis: a fresh address each run.
    address = f"camille-{uuid.uuid4().hex[:8]}@example.org"

    page.goto(f"{live_server.url}/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert fits_the_screen(page)
    # Every field is reachable by its label (what a screen reader announces).
    page.fill("#id_email", address)
    page.fill("#id_pseudonym", "Camille des Aix")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    for field in ("email", "pseudonym", "password1", "password2", "consent"):
        assert page.locator(f'label[for="id_{field}"]').count() == 1, field
    page.press("#id_password2", "Tab")
    page.keyboard.press("Space")  # the consent box, ticked from the keyboard
    assert page.is_checked("#id_consent")
    page.locator("form[action='/accounts/signup/'] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/confirm-email/")
    assert fits_the_screen(page)
    assert User.objects.filter(pseudonym="Camille des Aix").exists()

    assert [m.to for m in mailoutbox] == [[address]]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", mailoutbox[0].body)
    page.goto(f"{live_server.url}{link[1]}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/login/"))
    assert fits_the_screen(page)

    page.fill("#id_login", address)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/")
    assert "Camille des Aix" in page.locator("main").inner_text()
    assert fits_the_screen(page)
    context.close()
