# SPDX-License-Identifier: AGPL-3.0-or-later
"""A planner's first sign-ins, in headless Chromium and in French: after the password,
their work pages send them to setting up an authenticator app (its QR code drawn in the
page, its key as text), which they do with a code of it; signed out, they sign in again
with the password and a code. axe-core finds nothing serious on these pages, and no
request leaves the server."""

import re

import pytest
from allauth.account.models import EmailAddress

from carto_concertation.accounts.models import Role
from tests.accounts.authenticator_app import code_of
from tests.factories import RoleAssignmentFactory
from tests.factories.accounts import PASSWORD

from .test_map_page import axe_violations, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")


def test_a_planner_sets_up_an_authenticator_app_and_signs_in_with_it(live_server, page):
    planner = RoleAssignmentFactory(role=Role.PLANNER).user
    EmailAddress.objects.create(user=planner, email=planner.email, primary=True, verified=True)
    seen = watch(page, live_server)

    sign_in(page, live_server, planner.email)
    page.wait_for_url("**/accounts/")
    page.goto(f"{live_server.url}/donnees/")
    # allauth asks the password again before a change of the sign-in.
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert "Votre rôle demande la double authentification" in page.inner_text("main")
    assert axe_violations(page) == []
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert page.locator("figure.totp-qr svg[role=img]").is_visible()
    assert axe_violations(page) == []
    secret = page.inner_text("#totp-secret").strip()
    assert re.fullmatch(r"[A-Z2-7]+", secret)

    page.fill("#id_code", code_of(secret))
    page.press("#id_code", "Enter")
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/donnees/")
    assert page.url == f"{live_server.url}/donnees/"  # at work

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    sign_in(page, live_server, planner.email)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert axe_violations(page) == []
    page.fill("#id_code", "000000")
    page.press("#id_code", "Enter")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert "Code incorrect" in page.inner_text("main")
    # The code of the next period: the one used to set the app up is spent.
    page.fill("#id_code", code_of(secret, 1))
    page.press("#id_code", "Enter")
    page.wait_for_url("**/accounts/")
    assert planner.pseudonym in page.inner_text("header")
    assert seen["outside"] == []
