# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the map page asks for before its first tile, in Chromium on a phone.

The page carries its style with the TileJSONs written in, and asks at once for
MapLibre's worker and the ideas' tiles of its first view (<link rel="preload">); the
worker then takes them from the HTTP cache. Asked twice, served once: a preload the map
did not use, or a style that still sends MapLibre to the server for a TileJSON, fails
here (tests/bench/test_page_weight.py measures what it saves on a phone network)."""

import re
import threading
from urllib.parse import urlsplit

import pytest
from django.core.signals import request_started

from tests.bench.test_page_weight import FAST_3G
from tests.factories import ContributionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def served():
    """The paths the live server answered, as they come (its thread sends the signal)."""
    paths: list[str] = []
    lock = threading.Lock()

    def record(sender, environ=None, **kwargs):
        if environ is not None:
            with lock:
                paths.append(
                    environ["PATH_INFO"]
                    + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
                )

    request_started.connect(record, weak=False)
    yield paths
    request_started.disconnect(record)


def test_the_first_view_s_tiles_and_worker_are_asked_once_with_the_page(
    live_server, browser, small_open_concertation, served
):
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 412, "height": 915}, is_mobile=True
    )
    page = context.new_page()
    # On a phone network (Chrome's "Fast 3G"), where the preloads arrive with the
    # scripts, long before MapLibre has run and asks again.
    context.new_cdp_session(page).send("Network.emulateNetworkConditions", FAST_3G)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    page.goto(f"{live_server.url}/concertations/{small_open_concertation.slug}/")
    page.wait_for_selector("body[data-contributions-drawn][data-map-ready]", timeout=60_000)
    page.wait_for_load_state("networkidle")
    html = page.content()
    context.close()

    preloaded = [
        urlsplit(href).path
        for href in re.findall(r'<link rel="preload" href="([^"]+)" as="fetch">', html)
    ]
    tiles = [path for path in preloaded if path.startswith("/tiles/")]
    workers = [path for path in preloaded if "maplibre-gl-worker" in path]
    assert len(workers) == 1 and 1 <= len(tiles) <= 4, preloaded
    assert all(f"/contributions-{small_open_concertation.slug}/" in path for path in tiles)
    for path in [*tiles, *workers]:
        # The preload, then MapLibre's own request (the worker's script, its fetches)…
        assert asked.count(path) == 2, (path, asked.count(path))
        # …which the cache answered.
        assert served.count(path) == 1, (path, served.count(path))
    # No TileJSON and no style on the way to the first tiles: they came with the page.
    assert not [path for path in served if path.startswith("/tiles/styles/")]
    assert not [path for path in served if re.fullmatch(r"/tiles/[^/]+\.json", path)]


def test_an_idea_s_page_draws_its_map_without_asking_for_a_style_or_a_tilejson(
    live_server, browser, small_open_concertation, served
):
    """An idea's small map, as the concertation's: its style came with the page."""
    idea = ContributionFactory(concertation=small_open_concertation)
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 412, "height": 915}, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/concertations/{small_open_concertation.slug}/idees/{idea.pk}/")
    page.wait_for_selector("body[data-idea-map-ready]", state="attached", timeout=60_000)
    page.wait_for_load_state("networkidle")
    context.close()
    assert [path for path in served if path.startswith("/tiles/") and path.endswith(".mvt")]
    assert not [path for path in served if path.startswith("/tiles/styles/")]
    assert not [path for path in served if re.fullmatch(r"/tiles/[^/]+\.json", path)]
