# SPDX-License-Identifier: AGPL-3.0-or-later
"""A porteur submits a crowdfunding project on a phone (390×844, touch): signed in, they
open the form, read that the money goes through the platform, tap the map where the
project is (the longitude and latitude fill themselves), fill in a loan with interest,
send it and find it in "Mes projets"; the territory's agent accepts it on the review
page. On every page axe-core finds no serious or critical violation, the console no
error, and no request leaves the server."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.crowdfunding.models import Project
from tests.factories import TerritoryFactory, UserFactory
from tests.factories.accounts import user_with_role

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def clean(page, seen, where: str) -> None:
    assert axe_violations(page) == [], where
    assert seen["errors"] == [], (where, seen["errors"])
    assert seen["outside"] == [], (where, seen["outside"])


def test_a_porteur_submits_on_a_phone_and_the_agent_accepts(live_server, browser):
    territory = TerritoryFactory(communes=1)
    porteur = UserFactory()
    agent = user_with_role(Role.PLANNER, territory)
    context = browser.new_context(locale="fr-FR", **PHONE)
    signed_in(context, live_server, porteur)
    page = context.new_page()
    seen = watch(page, live_server)

    page.goto(f"{live_server.url}/financement/proposer/")
    assert "jamais par ce site" in page.locator("#money-note").inner_text()
    page.wait_for_selector("#pick-map-area:not([hidden])")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    page.locator("#map").tap()
    assert page.locator("#id_longitude").input_value() != ""
    assert page.locator("#id_latitude").input_value() != ""
    starts = timezone.localdate() + timedelta(days=7)
    page.fill("#id_title", "Toiture solaire de l’école")
    page.fill("#id_summary", "Des panneaux sur le toit de l’école")
    page.fill("#id_description", "Vingt kilowatts-crête, remboursés sur cinq ans.")
    page.select_option("#id_theme", "energy")
    page.select_option("#id_porteur_kind", "citizens")
    page.fill("#id_porteur_name", "Énergies citoyennes")
    page.select_option("#id_modality", "loan_interest")
    page.fill("#id_interest_rate", "1.8")
    page.fill("#id_loan_months", "60")
    page.fill("#id_goal", "20000")
    page.fill("#id_campaign_starts_on", starts.isoformat())
    page.fill("#id_campaign_ends_on", (starts + timedelta(days=45)).isoformat())
    page.select_option("#id_platform", "collecticity")
    page.fill("#id_campaign_url", "https://www.collecticity.fr/projets/toiture")
    screenshot(page, "crowdfunding-propose-phone")
    clean(page, seen, "submission form")
    page.get_by_role("button", name="Envoyer le projet").tap()

    page.wait_for_selector("#my-projects")
    project = Project.objects.get()
    assert project.submitter == porteur and territory.geom.covers(project.geom)
    assert project.status == Project.Status.SUBMITTED
    assert "déposé" in page.locator("#my-projects").inner_text()
    clean(page, seen, "my projects")
    context.close()

    context = browser.new_context(locale="fr-FR", **PHONE)
    signed_in(context, live_server, agent)
    page = context.new_page()
    seen = watch(page, live_server)
    page.goto(f"{live_server.url}/financement/gestion/")
    assert "Toiture solaire" in page.locator("#waiting").inner_text()
    clean(page, seen, "queue")
    page.get_by_role("link", name="Toiture solaire de l’école").tap()
    page.wait_for_selector("#accept-form")
    clean(page, seen, "review page")
    page.get_by_role("button", name="Accepter le projet").tap()
    page.wait_for_selector("#status")
    assert "campagne à venir" in page.locator("#status").inner_text()
    project.refresh_from_db()
    assert project.status == Project.Status.ACCEPTED and project.decided_by == agent
    context.close()
