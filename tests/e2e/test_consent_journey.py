# SPDX-License-Identifier: AGPL-3.0-or-later
"""A resident who accepted an older privacy notice signs in, in headless Chromium and in
French: the first page sends them to the new notice's page, which they read; they may
read the site meanwhile, a form they post sends them back; they accept (ticking the box
first) and are back where they were going. Without JavaScript too. axe-core finds nothing
serious, and no request leaves the server."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from carto_concertation.accounts.models import ConsentRecord, User
from tests.factories import UserFactory

from .test_map_page import axe_violations, watch
from .test_two_factor_journey import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def resident_of_an_older_notice() -> User:
    resident = UserFactory(consent_version="2025-01")
    EmailAddress.objects.create(user=resident, email=resident.email, primary=True, verified=True)
    return resident


def test_a_resident_reads_the_new_notice_and_accepts_it(live_server, page):
    resident = resident_of_an_older_notice()
    seen = watch(page, live_server)

    sign_in(page, live_server, resident.email)
    page.wait_for_url("**/accounts/consent/?next=%2Faccounts%2F")
    main = page.inner_text("main")
    assert "La politique de confidentialité a changé" in main
    assert "Vous avez accepté la version 2025-01" in main
    assert axe_violations(page) == []

    # Reading stays open: the notice, then a page of the site.
    page.get_by_role("link", name="Lire la charte et la politique de confidentialité").click()
    page.wait_for_url("**/accounts/privacy/")
    assert f"Version {settings.CONSENT_VERSION}." in page.inner_text("main")
    page.goto(f"{live_server.url}/accounts/preferences/")
    assert page.url.endswith("/accounts/preferences/")
    # A form posted goes back to the consent page, saying why; nothing written.
    page.fill("#id_pseudonym", "Nouveau nom")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/accounts/consent/?next=%2Faccounts%2Fpreferences%2F")
    assert "acceptez-la pour participer à nouveau" in page.inner_text("main")
    assert User.objects.get(pk=resident.pk).pseudonym == resident.pseudonym

    page.get_by_role("button", name="Accepter").click()  # the box not ticked
    assert "Cochez la case" in page.inner_text("main")
    assert axe_violations(page) == []
    page.get_by_label("J'ai lu la charte de participation").check()
    page.get_by_role("button", name="Accepter").click()
    page.wait_for_url("**/accounts/preferences/")
    assert "Merci : votre acceptation" in page.inner_text("main")
    assert ConsentRecord.objects.filter(user=resident, version=settings.CONSENT_VERSION).exists()

    page.fill("#id_pseudonym", "Nouveau nom")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/accounts/preferences/")
    assert User.objects.get(pk=resident.pk).pseudonym == "Nouveau nom"
    # The one error in the console is the 400 of the form sent without the box.
    assert [e for e in seen["errors"] if "status of 400" not in e] == []
    assert seen["outside"] == []


def test_accepting_works_without_javascript(live_server, browser):
    resident = resident_of_an_older_notice()
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, resident.email)
    page.wait_for_url("**/accounts/consent/**")
    page.get_by_label("J'ai lu la charte de participation").check()
    page.get_by_role("button", name="Accepter").click()
    page.wait_for_url(f"{live_server.url}/accounts/")
    assert User.objects.get(pk=resident.pk).consent_version == settings.CONSENT_VERSION
    context.close()
