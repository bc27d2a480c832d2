# SPDX-License-Identifier: AGPL-3.0-or-later
"""The workshop tablet page in headless Chromium: ideas captured without network or
during a slow send are kept on the tablet, each under its own key, sent when the network
is back, exactly once; the page and its map open again without network."""

import json
import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.signals import request_started
from django.utils import timezone

from carto_concertation.accounts.models import User
from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.models import Contribution
from carto_concertation.territories.models import Commune
from carto_concertation.workshops.services import workshop_create
from tests.demo_snapshot import demo_load
from tests.factories import WorkshopFactory
from tests.worlds import demo_user

from .sessions import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CAPTURES = re.compile(r"/api/v1/workshops/\d+/captures$")
# Chromium's software WebGL reports its own slowness; nothing to do with the page.
GL_NOISE = re.compile(r"GL Driver Message|GPU stall|WebGL")


@pytest.fixture
def workshop(settings):
    settings.DEBUG = True
    demo_load()
    relay = User.objects.get(email="relais@demo.invalid")
    return workshop_create(
        user=relay,
        concertation=Concertation.objects.get(status=Concertation.Status.OPEN),
        commune=Commune.objects.get(insee="18242"),
        starts_at=timezone.now() + timedelta(hours=1),
        place="Salle des fêtes",
        facilitator="Relais démo",
    )


def open_capture_page(page, live_server, workshop) -> None:
    signed_in(page.context, live_server, workshop.created_by)
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/capture/")
    # The map drew, and the page and all it loaded are kept for a reload offline.
    page.wait_for_selector("body[data-map-drawn][data-offline-ready]", timeout=30_000)


def capture(page, title: str, dx: int) -> None:
    box = page.locator("#capture-map canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2)
    page.wait_for_selector("#capture-form[data-placed]")
    page.fill("#capture-title", title)
    page.fill("#capture-text", "Dit à l'atelier de Sancoins.")
    page.locator("input[name=themes]").first.check()
    page.locator("#capture-form button[type=submit]").click()


def kept_ideas(page, workshop) -> list[dict]:
    """The ideas this tablet keeps for the workshop, oldest first."""
    return page.evaluate(
        f"""() => Object.keys(localStorage)
              .filter((name) => name.startsWith('workshop-capture:{workshop.pk}:'))
              .map((name) => JSON.parse(localStorage.getItem(name)))
              .sort((a, b) => a.recordedAt - b.recordedAt)"""
    )


def counts(page) -> tuple[str, str]:
    return page.inner_text("#queued-count"), page.inner_text("#synced-count")


def wait_until(page, condition, seconds: int = 20) -> None:
    """Lets Playwright deliver its events (route handlers) until the condition holds."""
    for _ in range(seconds * 10):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("condition not met in time")


def workshop_ideas():
    return Contribution.objects.filter(channel="workshop")


def test_offline_captures_are_synced_once(page, live_server, workshop):
    answers = []
    page.on("response", lambda r: CAPTURES.search(r.url) and answers.append(r.status))
    open_capture_page(page, live_server, workshop)

    page.context.set_offline(True)
    capture(page, "Un abri vélo", dx=-40)
    capture(page, "Une aire de jeux", dx=40)

    page.wait_for_selector("#queued-count:text('2')")
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "workshop-capture-offline.png"))
    assert page.locator("#synced-count").inner_text() == "0"
    assert [idea["state"] for idea in kept_ideas(page, workshop)] == ["queued", "queued"]
    assert workshop_ideas().count() == 0

    page.context.set_offline(False)  # the browser fires "online": the queue goes
    page.wait_for_selector("#synced-count:text('2')", timeout=20_000)
    assert page.locator("#queued-count").inner_text() == "0"
    assert workshop_ideas().count() == 2
    first = kept_ideas(page, workshop)

    # As if both answers had been lost: the tablet sends the same ideas again.
    page.evaluate(
        f"""() => Object.keys(localStorage)
              .filter((name) => name.startsWith('workshop-capture:{workshop.pk}:'))
              .forEach((name) => {{
                const idea = JSON.parse(localStorage.getItem(name));
                localStorage.setItem(name, JSON.stringify({{...idea, state: 'queued'}}));
              }})"""
    )
    page.locator("#sync-now").click()
    wait_until(page, lambda: all(i["state"] == "synced" for i in kept_ideas(page, workshop)))
    # Created the first time, recognised the second.
    assert answers == [201, 201, 200, 200]
    again = kept_ideas(page, workshop)
    assert [idea["contribution"] for idea in again] == [idea["contribution"] for idea in first]

    assert workshop_ideas().count() == 2
    assert sorted(workshop_ideas().values_list("title", flat=True)) == [
        "Un abri vélo",
        "Une aire de jeux",
    ]
    assert set(workshop_ideas().values_list("author", flat=True)) == {None}


def test_ideas_captured_during_a_slow_send_all_arrive_once_even_after_an_offline_reload(
    page, live_server, workshop
):
    errors = []
    page.on(
        "console",
        lambda m: m.type == "error" and not GL_NOISE.search(m.text) and errors.append(m.text),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    answers = []
    page.on("response", lambda r: CAPTURES.search(r.url) and answers.append(r.status))
    open_capture_page(page, live_server, workshop)
    # Nothing was sent: the page does not say it was.
    assert page.inner_text("#capture-message") == ""

    # A slow link: each sending waits until the test lets it through.
    held = []
    page.route(CAPTURES, lambda route: held.append(route))
    capture(page, "Un abri vélo", dx=-60)
    wait_until(page, lambda: len(held) == 1)
    # Two more ideas while the first one is on its way.
    capture(page, "Une aire de jeux", dx=0)
    capture(page, "Un banc à l'ombre", dx=60)
    assert counts(page) == ("3", "0")

    held[0].continue_()
    # The first arrived; the two others wait, still on the tablet, and the next goes.
    wait_until(page, lambda: len(held) == 2)
    page.wait_for_selector("#synced-count:text('1')")
    assert counts(page) == ("2", "1")
    assert page.inner_text("#capture-message") != "Envoyée."
    assert [i["body"]["title"] for i in kept_ideas(page, workshop)] == [
        "Un abri vélo",
        "Une aire de jeux",
        "Un banc à l'ombre",
    ]

    # The second reaches the server, but the network drops before the tablet hears it.
    assert held[1].fetch().status == 201
    page.context.set_offline(True)
    held[1].abort("internetdisconnected")
    page.wait_for_selector("#capture-message:text('Pas de réseau')")
    assert counts(page) == ("2", "1")

    # Reloaded without network: the page, its map and the ideas come from the tablet.
    served = []

    def count(sender, environ, **kwargs) -> None:
        # The browser's own update check of the service worker goes around both the
        # service worker and Playwright's offline emulation; without network it fails.
        # So may a sending the page retried as it went (the service worker's own fetch is
        # not under the page's emulation): what is counted is what the reload loads.
        if (
            environ["PATH_INFO"] != "/workshops/capture-sw.js"
            and environ["REQUEST_METHOD"] == "GET"
        ):
            served.append(environ["PATH_INFO"])

    errors.clear()
    request_started.connect(count)
    try:
        page.reload()
        page.wait_for_selector("body[data-map-drawn]", timeout=30_000)
        page.wait_for_load_state("networkidle")
    finally:
        request_started.disconnect(count)
    assert served == []
    assert errors == []
    assert page.locator("h1").inner_text().endswith("Sancoins")
    assert counts(page) == ("2", "1")
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "workshop-capture-offline-reload.png"))

    # The network is back: the two that wait go, and each idea exists once.
    page.unroute(CAPTURES)
    page.context.set_offline(False)
    page.wait_for_selector("#synced-count:text('3')", timeout=20_000)
    assert counts(page) == ("0", "3")
    page.wait_for_selector("#capture-message:text('Envoyée.')")
    # The second was recognised (already recorded), the third created.
    assert answers[-2:] == [200, 201]
    assert sorted(workshop_ideas().values_list("title", flat=True)) == [
        "Un abri vélo",
        "Un banc à l'ombre",
        "Une aire de jeux",
    ]
    keys = [idea["body"]["key"] for idea in kept_ideas(page, workshop)]
    assert len(set(keys)) == 3


def test_a_queue_kept_by_the_previous_page_is_adopted_and_sent(page, live_server, workshop):
    """Tablets updated in the middle of a concertation keep what they had queued."""
    open_capture_page(page, live_server, workshop)
    commune = workshop.commune.geom.point_on_surface.transform(4326, clone=True)
    theme = workshop.concertation.themes.first()
    legacy = [
        {
            "state": "queued",
            "body": {
                "key": str(uuid.uuid4()),
                "title": "Une idée gardée avant la mise à jour",
                "text": "Saisie sur l'ancienne page.",
                "themes": [theme.pk],
                "channel": "workshop",
                "participant": "",
                "geometry": {"type": "Point", "coordinates": [commune.x, commune.y]},
            },
        }
    ]
    page.evaluate(
        "([name, queue]) => localStorage.setItem(name, queue)",
        [f"workshop-captures:{workshop.pk}", json.dumps(legacy)],
    )
    page.reload()
    page.wait_for_selector("#synced-count:text('1')", timeout=20_000)
    assert page.evaluate(f"localStorage.getItem('workshop-captures:{workshop.pk}')") is None
    assert [i["body"]["key"] for i in kept_ideas(page, workshop)] == [legacy[0]["body"]["key"]]
    assert list(workshop_ideas().values_list("title", flat=True)) == [
        "Une idée gardée avant la mise à jour"
    ]


@pytest.fixture
def small_workshop(small_open_concertation):
    """A workshop of the small world (its concertation takes points, lines and areas)."""
    return WorkshopFactory(
        concertation=small_open_concertation, created_by=demo_user("relais@demo.invalid")
    )


def click_map(page, dx: int, dy: int) -> None:
    box = page.locator("#capture-map canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)


def queue_rows(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        "#capture-queue li[data-key]", "items => items.map(i => [i.dataset.state, i.innerText])"
    )


def test_a_line_and_an_area_are_drawn_edited_before_sending_and_sent(
    page, live_server, small_workshop
):
    workshop = small_workshop
    page.on("dialog", lambda dialog: dialog.accept())
    signed_in(page.context, live_server, workshop.created_by)
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/capture/")
    page.wait_for_selector("body[data-map-drawn]", timeout=30_000)
    # The crosshair marks the map's centre, where the keyboard places points.
    canvas = page.locator("#capture-map canvas").bounding_box()
    cross = page.locator(".capture-crosshair").bounding_box()
    assert abs(cross["x"] + cross["width"] / 2 - canvas["x"] - canvas["width"] / 2) < 2
    assert abs(cross["y"] + cross["height"] / 2 - canvas["y"] - canvas["height"] / 2) < 2
    page.context.set_offline(True)

    # A line: three points, the last one undone, another one, then "Finish".
    page.check("#kind-line")
    for dx, dy in ((-80, 0), (0, 40), (80, 80)):
        click_map(page, dx, dy)
    page.wait_for_selector("#capture-form[data-points='3']")
    page.click("#undo-point")
    page.wait_for_selector("#capture-form[data-points='2']")
    click_map(page, 60, -40)
    page.click("#finish-shape")
    page.fill("#capture-title", "Une piste le long du canal")
    page.fill("#capture-text", "Pour aller au collège à vélo.")
    page.click("#capture-submit")

    # An area with the keyboard alone: the map moves with the arrows, the centre is added.
    page.check("#kind-area")
    page.locator("#capture-map canvas").focus()
    for key in ("ArrowLeft", "ArrowUp", "ArrowRight"):
        page.keyboard.press(key)
        page.wait_for_timeout(400)  # the map eases
        page.locator("#place-centre").focus()
        page.keyboard.press("Enter")
        page.locator("#capture-map canvas").focus()
    page.wait_for_selector("#capture-form[data-points='3']")
    page.locator("#capture-title").fill("Un parc au centre")
    page.locator("#capture-text").fill("Des arbres et des bancs.")
    page.locator("#capture-submit").focus()
    page.keyboard.press("Enter")

    page.wait_for_selector("#queued-count:text('2')")
    rows = queue_rows(page)
    assert [state for state, _text in rows] == ["queued", "queued"]
    assert "Une piste le long du canal" in rows[0][1] and "ligne" in rows[0][1]
    assert "en attente d'envoi" in rows[1][1] and "zone dessinée" in rows[1][1]
    keys = [idea["body"]["key"] for idea in kept_ideas(page, workshop)]

    # Before sending: the line's title is changed, the area removed.
    page.click("#capture-queue li:nth-child(1) button[data-action=edit]")
    assert page.input_value("#capture-title") == "Une piste le long du canal"
    page.fill("#capture-title", "Une piste cyclable le long du canal")
    page.click("#capture-submit")
    page.click("#capture-queue li:nth-child(2) button[data-action=remove]")
    page.wait_for_selector("#queued-count:text('1')")
    kept = kept_ideas(page, workshop)
    assert [idea["body"]["key"] for idea in kept] == keys[:1]  # same key, edited
    assert kept[0]["body"]["title"] == "Une piste cyclable le long du canal"
    assert kept[0]["body"]["geometry"]["type"] == "LineString"
    assert len(kept[0]["body"]["geometry"]["coordinates"]) == 3

    page.context.set_offline(False)
    page.wait_for_selector("#synced-count:text('1')", timeout=20_000)
    rows = queue_rows(page)
    assert rows[0][0] == "synced" and "envoyée" in rows[0][1]
    assert not page.locator("#capture-queue button[data-action]").count()
    idea = Contribution.objects.get(channel="workshop")
    assert idea.title == "Une piste cyclable le long du canal"
    assert idea.geom.geom_type == "LineString" and len(idea.geom.coords) == 3

    # An area, online this time.
    page.check("#kind-area")
    for dx, dy in ((-60, -60), (60, -60), (60, 60), (-60, 60)):
        click_map(page, dx, dy)
    page.click("#finish-shape")
    page.fill("#capture-title", "Une place ombragée")
    page.fill("#capture-text", "Avec des tilleuls.")
    page.click("#capture-submit")
    page.wait_for_selector("#synced-count:text('2')", timeout=20_000)
    area = Contribution.objects.get(channel="workshop", title="Une place ombragée")
    assert area.geom.geom_type == "Polygon" and len(area.geom.coords[0]) == 5
