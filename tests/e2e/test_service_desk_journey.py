# SPDX-License-Identifier: AGPL-3.0-or-later
"""An agent of a commune's roads service in headless Chromium: the dashboard shows their
queue and its map (our tiles only), the overdue report highlighted; they take two
reports into account at once from the queue, then resolve one from its page; axe-core
finds nothing serious, no console error, no outside request."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carto_concertation.signalements.models import Report
from tests.factories import TerritoryFactory, UserFactory
from tests.factories.signalements import CategoryFactory, ReportFactory, ServiceFactory

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def queue(settings):
    settings.DEBUG = True
    territory = TerritoryFactory(communes=2)
    first = territory.communes.order_by("insee").first()
    pothole = CategoryFactory(territory=territory, name="Nid-de-poule", sla_hours=48)
    agent = UserFactory(pseudonym="Agent voirie")
    roads = ServiceFactory(territory=territory, commune=first, name="Voirie", members=[agent])
    other = ServiceFactory(territory=territory, name="Éclairage de la CC")
    late, fresh = (
        ReportFactory(category=pothole, service=roads, description=text)
        for text in ("Trou profond devant l’école", "Bordure cassée")
    )
    long_ago = timezone.now() - timedelta(hours=60)
    Report.objects.filter(pk=late.pk).update(created_at=long_ago, confirmed_at=long_ago)
    elsewhere = ReportFactory(category=pothole, service=other, description="Pas à nous")
    return agent, late, fresh, elsewhere


def bulk_change(page, reports, state: str, text: str, *, said: str) -> None:
    """Tick the reports in the queue, give them a state and its text, and wait for the
    confirmation."""
    for report in reports:
        page.check(f"#pick-{report.pk}")
    page.select_option("#bulk-state", state)
    page.fill("#bulk-text", text)
    page.click("#bulk button[type=submit]")
    page.locator("[role=status] .message").filter(has_text=said).wait_for()


def test_an_agent_takes_reports_into_account_and_resolves_one(live_server, page, queue):
    agent, late, fresh, elsewhere = queue
    seen = watch(page, live_server)
    signed_in(page.context, live_server, agent)
    page.goto(f"{live_server.url}/signalements/services/")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    page.wait_for_load_state("networkidle")
    screenshot(page, "service-desk")

    assert page.locator("#total").inner_text() == "2 signalements"
    assert page.locator(f"#report-{elsewhere.pk}").count() == 0
    assert "overdue" in page.locator(f"#report-{late.pk}").get_attribute("class")
    assert "en retard" in page.locator(f"#report-{late.pk}").inner_text()
    assert page.locator("#map-status").inner_text() == "Signalements sur la carte : 2"
    assert axe_violations(page) == []

    # Both taken into account at once; the confirmation stays on screen.
    bulk_change(
        page,
        [late, fresh],
        "acknowledged",
        "Nous avons bien reçu votre signalement.",
        said="2 signalements sont maintenant « pris en compte ».",
    )
    assert set(
        Report.objects.filter(pk__in=[late.pk, fresh.pk]).values_list("state", flat=True)
    ) == {"acknowledged"}
    assert page.locator(f"#report-{late.pk} .state-cell").inner_text() == "pris en compte"
    assert "overdue" not in (page.locator(f"#report-{late.pk}").get_attribute("class") or "")

    # A second action from the same page: one of them now in progress.
    bulk_change(
        page,
        [fresh],
        "in_progress",
        "L’équipe est sur place.",
        said="1 signalement est maintenant « en cours ».",
    )
    assert Report.objects.get(pk=fresh.pk).state == "in_progress"

    # Then resolved from its page, which the history shows with the agent's name.
    page.click(f"#report-{late.pk} td:nth-child(2) a")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    assert axe_violations(page) == []
    page.select_option("#id_state", "fixed")
    page.fill("#id_text", "Le trou est rebouché.")
    page.click("#state-form button[type=submit]")
    page.locator("[role=status] .message").filter(
        has_text="Le signalement est maintenant « résolu »."
    ).wait_for()
    assert page.locator("#report-state").inner_text() == "résolu"
    history = page.locator("#history").inner_text()
    assert "Le trou est rebouché." in history and "Agent voirie" in history
    assert Report.objects.get(pk=late.pk).state == "fixed"
    assert axe_violations(page) == []

    # The figures of the service: the one fixed counts in the median time to "résolu".
    page.goto(f"{live_server.url}/signalements/services/chiffres/")
    assert page.locator("#per-service tbody tr").count() == 1
    assert page.locator("#per-service tbody tr th").inner_text().startswith("Voirie")
    assert axe_violations(page) == []

    assert seen["outside"] == []
    assert seen["failed"] == []
    assert seen["errors"] == []
