# SPDX-License-Identifier: AGPL-3.0-or-later
"""The moderator's journey through the pages alone, in headless Chromium: signed in, they
open the back office from their account page, find a reported idea in the queue with
the report's reason, hide it with a pre-written reason; the map page's list and the
public moderation log then show the placeholder and the reason. Every page visited is
axe-core clean, and no request leaves the server. The merge page draws its small map."""

import pytest

from carto_concertation.accounts.models import User
from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.moderation import report_create
from carto_concertation.contributions.selectors import PUBLIC_STATUSES
from tests.demo_snapshot import demo_load

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
REPORT = "Son adresse personnelle est écrite dans le texte"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    demo_load()
    return Concertation.objects.get(status=Concertation.Status.OPEN)


def _published(concertation):
    return Contribution.objects.filter(
        concertation=concertation, status__in=PUBLIC_STATUSES
    ).order_by("-created_at", "-id")


def test_a_moderator_hides_a_reported_idea_from_the_back_office(live_server, page, demo):
    idea = _published(demo).first()
    seen = watch(page, live_server)
    # A resident reports it from the report page (the map's button leads there).
    signed_in(page.context, live_server, User.objects.get(email="habitant@demo.invalid"))
    page.goto(
        f"{live_server.url}/signaler/contributions.contribution/{idea.pk}/"
        f"?next=/concertations/{demo.slug}/"
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Envoyer le signalement").click()
    assert page.locator("#reason-errors").inner_text()  # a reason is asked for
    assert axe_violations(page) == []
    page.get_by_label("Dans vos mots").fill(REPORT)
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.wait_for_url(f"**/concertations/{demo.slug}/")
    assert "Merci" in page.locator("p.message").inner_text()
    page.context.clear_cookies()

    moderator = User.objects.get(email="moderation@demo.invalid")
    signed_in(page.context, live_server, moderator)

    page.goto(f"{live_server.url}/accounts/")
    assert axe_violations(page) == []
    page.click("text=Modération des idées et des commentaires")
    page.wait_for_url("**/moderation/")
    assert axe_violations(page) == []
    page.click(f"a[href='/moderation/{demo.slug}/']")
    page.wait_for_url(f"**/moderation/{demo.slug}/")
    assert axe_violations(page) == []

    entry = page.locator("article.entry", has=page.locator(f"h3:text-is('{idea.title}')"))
    assert REPORT in entry.locator(".reports").inner_text()
    entry.get_by_label("Données personnelles").check()
    entry.get_by_role("button", name="Masquer").click()
    page.wait_for_selector("p.message")
    assert "masqué" in page.locator("p.message").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "moderation-queue")
    idea.refresh_from_db()
    assert (idea.status, idea.moderation_reason) == ("hidden", "Données personnelles")

    page.goto(f"{live_server.url}/concertations/{demo.slug}/")
    placeholder = "Masqué par la modération : Données personnelles"
    page.wait_for_function(
        "text => document.querySelector('#contribution-list').textContent.includes(text)",
        arg=placeholder,
        timeout=30_000,
    )
    assert idea.title not in page.locator("#contribution-list").inner_text()
    assert axe_violations(page) == []
    page.click("text=Le journal public de modération")
    page.wait_for_url(f"**/concertations/{demo.slug}/moderation/")
    first = page.locator("#moderation-log li").first.inner_text()
    assert "Masqué" in first and "Données personnelles" in first and "par un modérateur" in first
    assert moderator.pseudonym not in page.locator("#moderation-log").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "moderation-log")

    assert seen["outside"] == []
    # The one answer refused: the report sent without a reason (400, its form again).
    failed = [status_url for status_url in seen["failed"] if "/tiles/" not in status_url[1]]
    assert [(status, url.split("?")[0]) for status, url in failed] == [
        (400, f"{live_server.url}/signaler/contributions.contribution/{idea.pk}/")
    ]
    assert [error for error in seen["errors"] if "400 (Bad Request)" not in error] == []


def test_the_merge_page_shows_both_ideas_on_its_map(live_server, page, demo):
    twin, kept = list(_published(demo)[:2])
    report_create(
        reporter=User.objects.get(email="habitant@demo.invalid"),
        reason="Doublon",
        contribution=twin,
    )
    seen = watch(page, live_server)
    signed_in(page.context, live_server, User.objects.get(email="moderation@demo.invalid"))
    page.goto(f"{live_server.url}/moderation/{demo.slug}/")
    entry = page.locator("article.entry", has=page.locator(f"h3:text-is('{twin.title}')"))
    entry.get_by_role("link", name="Fusionner avec une idée semblable").click()
    page.wait_for_url("**/fusion/")
    assert axe_violations(page) == []
    page.click(f"a[href='?into={kept.pk}']")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    assert page.locator(".side").count() == 2
    assert page.locator("#merge-map .maplibregl-marker").count() == 2
    assert axe_violations(page) == []
    screenshot(page, "moderation-merge")
    page.get_by_role("button", name=f"Fusionner dans « {kept.title} »").click()
    page.wait_for_selector("p.message")
    twin.refresh_from_db()
    assert (twin.status, twin.merged_into_id) == ("merged", kept.pk)
    assert seen["outside"] == []
    assert seen["errors"] == []


def test_a_moderator_bans_an_account_and_lifts_the_ban(live_server, page, demo):
    """From the back office, in French: the form says what is wrong, then bans; the
    table lists the ban and lifts it. Every state of the page is axe-core clean."""
    seen = watch(page, live_server)
    resident = User.objects.get(email="habitant@demo.invalid")
    signed_in(page.context, live_server, User.objects.get(email="moderation@demo.invalid"))
    page.goto(f"{live_server.url}/moderation/")
    page.get_by_role("link", name="Comptes bannis").click()
    page.wait_for_url("**/moderation/comptes/bannis/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Bannir ce compte").click()
    assert page.locator("#account-errors").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Compte (pseudonyme ou adresse électronique)").fill(resident.pseudonym)
    page.get_by_label("Motif").fill("Messages insultants répétés")
    page.get_by_role("button", name="Bannir ce compte").click()
    page.wait_for_selector("p.message")
    row = page.locator("tbody tr", has=page.locator(f"th:text-is('{resident.pseudonym}')"))
    assert "Messages insultants répétés" in row.inner_text()
    assert axe_violations(page) == []
    row.get_by_role("button", name=f"Lever le bannissement de {resident.pseudonym}").click()
    page.wait_for_selector("p.message")
    assert "levé le" in page.locator("tbody tr").first.inner_text()
    assert seen["outside"] == []
    assert [error for error in seen["errors"] if "400 (Bad Request)" not in error] == []
