# SPDX-License-Identifier: AGPL-3.0-or-later
"""The workshop tablet page in headless Chromium: ideas captured without network are
queued on the tablet, sent when the network is back, and a second sending of the same
ideas (a sync cut after the server recorded them) makes no twin."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.signals import request_started
from django.test import Client
from django.utils import timezone

from carto_concertation.accounts.models import User
from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.models import Contribution
from carto_concertation.territories.models import Commune
from carto_concertation.workshops.services import workshop_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def workshop(settings):
    settings.DEBUG = True
    call_command("load_demo")
    relay = User.objects.get(email="relais@demo.invalid")
    return workshop_create(
        user=relay,
        concertation=Concertation.objects.get(status=Concertation.Status.OPEN),
        commune=Commune.objects.get(insee="18242"),
        starts_at=timezone.now() + timedelta(hours=1),
        place="Salle des fêtes",
        facilitator="Relais démo",
    )


def signed_in(page, live_server, user: User) -> None:
    """The relay's session cookie in the browser (signing in is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def capture(page, title: str, dx: int) -> None:
    box = page.locator("#capture-map canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2)
    page.wait_for_selector("#capture-form[data-placed]")
    page.fill("#capture-title", title)
    page.fill("#capture-text", "Dit à l'atelier de Sancoins.")
    page.locator("input[name=themes]").first.check()
    page.locator("#capture-form button[type=submit]").click()


def workshop_ideas():
    return Contribution.objects.filter(channel="workshop")


def test_offline_captures_are_synced_once(page, live_server, workshop):
    signed_in(page, live_server, workshop.created_by)
    answers = []
    page.on("response", lambda r: "/captures" in r.url and answers.append(r.status))
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/capture/")
    page.wait_for_selector("#capture-map canvas")
    page.wait_for_load_state("networkidle")

    page.context.set_offline(True)
    capture(page, "Un abri vélo", dx=-40)
    capture(page, "Une aire de jeux", dx=40)

    page.wait_for_selector("#queued-count:text('2')")
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "workshop-capture-offline.png"))
    assert page.locator("#synced-count").inner_text() == "0"
    queued = page.evaluate(f"JSON.parse(localStorage.getItem('workshop-captures:{workshop.pk}'))")
    assert [item["state"] for item in queued] == ["queued", "queued"]
    assert workshop_ideas().count() == 0

    page.context.set_offline(False)  # the browser fires "online": the queue goes
    page.wait_for_selector("#synced-count:text('2')", timeout=20_000)
    assert page.locator("#queued-count").inner_text() == "0"
    assert workshop_ideas().count() == 2
    first = page.evaluate(f"JSON.parse(localStorage.getItem('workshop-captures:{workshop.pk}'))")

    # As if both answers had been lost: the tablet sends the same ideas again.
    page.evaluate(
        f"""() => {{
          const key = 'workshop-captures:{workshop.pk}';
          const items = JSON.parse(localStorage.getItem(key));
          items.forEach((item) => {{ item.state = 'queued'; }});
          localStorage.setItem(key, JSON.stringify(items));
        }}"""
    )
    page.locator("#sync-now").click()
    page.wait_for_function(
        f"""() => JSON.parse(localStorage.getItem('workshop-captures:{workshop.pk}'))
              .every((item) => item.state === 'synced')""",
        timeout=20_000,
    )
    # Created the first time, recognised the second.
    assert answers == [201, 201, 200, 200]
    again = page.evaluate(f"JSON.parse(localStorage.getItem('workshop-captures:{workshop.pk}'))")
    assert [item["contribution"] for item in again] == [item["contribution"] for item in first]

    assert workshop_ideas().count() == 2
    assert sorted(workshop_ideas().values_list("title", flat=True)) == [
        "Un abri vélo",
        "Une aire de jeux",
    ]
    assert set(workshop_ideas().values_list("author", flat=True)) == {None}


def test_the_capture_page_opens_again_without_network(page, live_server, workshop):
    signed_in(page, live_server, workshop.created_by)
    url = f"{live_server.url}/workshops/{workshop.pk}/capture/"
    page.goto(url)
    page.wait_for_selector("body[data-offline-ready]", timeout=30_000)
    page.evaluate(
        f"""localStorage.setItem('workshop-captures:{workshop.pk}', JSON.stringify([
          {{state: 'queued', body: {{key: 'x'}}}}]))"""
    )

    served = []

    def count(sender, environ, **kwargs) -> None:
        # What the reload fetched; a capture the queue sends (a POST) is not the page.
        if environ["REQUEST_METHOD"] == "GET":
            served.append(environ["PATH_INFO"])

    request_started.connect(count)
    try:
        page.context.set_offline(True)
        page.reload()
        page.wait_for_selector("#queued-count:text('1')")
    finally:
        request_started.disconnect(count)
        page.context.set_offline(False)
    # The page, its module and its map came from the tablet's cache, not the server.
    assert page.locator("h1").inner_text().endswith("Sancoins")
    assert served == []
