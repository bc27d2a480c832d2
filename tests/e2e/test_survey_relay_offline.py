# SPDX-License-Identifier: AGPL-3.0-or-later
"""A relay types paper answers in headless Chromium: an entry typed without network waits
on the device (IndexedDB), still there when the page is reopened without network, and
goes once when the network is back; sent again (its answer lost), it makes no twin; two
clicks during a slow send make one response."""

import re

import pytest

from carto_concertation.surveys.models import Response

from ..surveys.relay_world import relay_of, relay_world
from .sessions import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def wait_until(page, condition, seconds: int = 20) -> None:
    """Lets Playwright deliver its events (route handlers) until the condition holds."""
    for _ in range(seconds * 10):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("condition not met in time")


def kept_entries(page) -> list[dict]:
    return page.evaluate(
        """() => new Promise((resolve) => {
             const open = indexedDB.open('carto-survey-relay', 1);
             open.onupgradeneeded = () => open.result.createObjectStore('entries', {keyPath: 'key'});
             open.onsuccess = () => {
               const all = open.result.transaction('entries').objectStore('entries').getAll();
               all.onsuccess = () => resolve(all.result);
             };
           })"""
    )


def put_back(page, entry: dict) -> None:
    page.evaluate(
        """(entry) => new Promise((resolve) => {
             const open = indexedDB.open('carto-survey-relay', 1);
             open.onsuccess = () => {
               const tx = open.result.transaction('entries', 'readwrite');
               tx.objectStore('entries').put(entry);
               tx.oncomplete = () => resolve();
             };
           })""",
        entry,
    )


def type_in(page) -> str:
    """Fills one paper form's answers; the key the form will be sent under."""
    page.locator("input[name=mode]").first.check()
    page.check("#channel-workshop")
    return page.input_value("input[name=key]")


@pytest.fixture
def entry_page(page, live_server, settings):
    settings.DEBUG = True
    questionnaire = relay_world()
    signed_in(page.context, live_server, relay_of(questionnaire))
    url = f"{live_server.url}/consultations/saisie/{questionnaire.slug}/"
    page.goto(url)
    return url


def test_an_entry_typed_offline_waits_then_syncs_once(page, entry_page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The page and its scripts are kept on the device for a reload without network.
    page.wait_for_selector("body[data-offline-ready]", timeout=20_000)
    page.context.set_offline(True)
    key = type_in(page)
    page.click("#relay-submit")
    page.wait_for_selector("#relay-waiting:text('1')")
    assert page.is_visible("#relay-queue")
    assert "Pas de réseau" in page.inner_text("#relay-queue")
    # A fresh form for the next paper form, under a new key.
    assert page.input_value("input[name=key]") != key
    [kept] = kept_entries(page)
    assert kept["key"] == key and kept["state"] == "queued"
    assert not Response.objects.exists()

    # Reopened without network: the page comes from the device, the entry still waits.
    page.reload()
    page.wait_for_selector("#relay-waiting:text('1')")
    assert page.input_value("input[name=key]") not in ("", key)
    assert not Response.objects.exists()

    page.context.set_offline(False)  # the browser fires "online": the queue goes
    page.wait_for_selector("#relay-waiting:text('0')", timeout=20_000)
    wait_until(page, lambda: Response.objects.count() == 1)
    response = Response.objects.get()
    assert str(response.key) == key and response.channel == Response.Channel.WORKSHOP
    assert kept_entries(page) == []

    # As if its answer had been lost: the device sends it again at the next page load.
    put_back(page, kept)
    page.reload()
    wait_until(page, lambda: kept_entries(page) == [])
    assert Response.objects.count() == 1
    assert errors == []


def test_two_clicks_during_a_slow_send_make_one_response(page, entry_page):
    url = entry_page
    held = []

    def hold(route) -> None:
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(re.escape(url)), hold)
    key = type_in(page)
    page.click("#relay-submit")
    wait_until(page, lambda: len(held) == 1)
    page.click("#relay-submit")
    wait_until(page, lambda: len(held) == 2)
    for route in held:
        route.continue_()
    # Both sendings answered (the second: already recorded); the page goes to a fresh form.
    wait_until(page, lambda: f"fait={key}" in page.url)
    page.wait_for_selector("#relay-form")
    assert page.input_value("input[name=key]") != key
    assert Response.objects.filter(key=key).count() == 1
    assert Response.objects.count() == 1
