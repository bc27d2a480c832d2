# SPDX-License-Identifier: AGPL-3.0-or-later
"""The concertation's map page on a phone network: the bytes it costs and the time to the
first drawn map, in Chromium throttled to Chrome DevTools' "Fast 3G" profile, on a first
visit: each visit in a new browser context, whose HTTP cache starts empty (and keeps, as
a real browser's does, what the page itself fetched: the preloads MapLibre asks again).

Three servers (uvicorn on carto_concertation.asgi, the small world's open concertation):
(a) `make run` as it served before STATIC_MANIFEST: DEBUG, the files of frontend/dist as
they are; (b) `make run` (scripts/run.sh): DEBUG, hashed names, Brotli; (c) production:
DEBUG off, the same static files. Each against floors measured or computed in the run:
the same page unthrottled (what the page costs before the network weighs), and the
bare transfer of its bytes on the profile (bytes / throughput + the round trips of the
page's chain: the HTML, then everything it names at once — scripts, MapLibre's worker,
the first tiles — since the style comes inline). Aim: under 4 s.

The time is the page's own clock (performance.now(), from navigation start) when the map
says its contributions layer is drawn (body[data-contributions-drawn], set by
frontend/src/map/concertation-map.js) and when its style is loaded (body[data-map-ready]).
"""

import os
import statistics
import subprocess
import sys

import pytest
from django.db import connection
from playwright.sync_api import sync_playwright

from tests.bench.test_tiles import ROOT, free_port, start_server
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.worlds import small_world

pytestmark = pytest.mark.django_db(transaction=True)
RUNS = 3
# Chrome DevTools' "Fast 3G" preset (its throttling presets: 1.44 Mbit/s down as
# 180,000 bytes/s, 675 kbit/s up, 150 ms of latency × 3.75 for the radio's).
FAST_3G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 180_000,
    "uploadThroughput": 84_375,
}
# The requests that wait for one another before the first tile is drawn: the page, then
# what it preloads (map.html: the module graph, MapLibre's worker, the first tiles).
ROUND_TRIPS = 2
# Records when the page's map marks itself ready and drawn, on the page's clock.
MARKS = """
window.__marks = {};
new MutationObserver(() => {
  for (const name of ["mapReady", "contributionsDrawn"]) {
    if (document.body && document.body.dataset[name] && !(name in window.__marks)) {
      window.__marks[name] = performance.now();
    }
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: [
  "data-map-ready", "data-contributions-drawn"]});
"""
SERVERS = {
    "make_run_before": {"DEBUG": "1", "STATIC_MANIFEST": "0"},
    "make_run": {"DEBUG": "1", "STATIC_MANIFEST": "1"},
    "production": {"DEBUG": "0", "SECURE_HTTPS": "0", "SECRET_KEY": "bench"},
}


def server(variables: dict, port: int, static_root) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "STATIC_MANIFEST"}},
        "DATABASE_URL": f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_POOL": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        **variables,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return start_server(
        [
            *[sys.executable, "-m", "uvicorn", "carto_concertation.asgi:application"],
            *["--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--lifespan", "on"],
            *["--no-access-log", "--log-level", "warning"],
        ],
        env,
        port,
    )


def visit(browser, url: str, throttled: bool) -> dict:
    """One visit with an empty cache: the bytes on the wire and decoded, and the marks."""
    context = browser.new_context(viewport={"width": 412, "height": 915}, is_mobile=True)
    page = context.new_page()
    page.add_init_script(MARKS)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if throttled:
        cdp.send("Network.emulateNetworkConditions", FAST_3G)
    # Playwright reports the requests of MapLibre's worker too, which the page's DevTools
    # session does not see.
    # By URL, the first answer: what the page preloads, MapLibre asks again and gets from
    # the cache (tests/e2e/test_map_first_view.py), and its bytes crossed the network once.
    sizes = {}
    outside = []

    def finished(request) -> None:
        response = request.response()
        if response is None:
            return
        body = response.body()
        wire = request.sizes()
        # The worker's requests come with no sizes: their Content-Length is what came
        # (whitenoise sends it for the encoded file).
        encoded = wire["responseBodySize"] or int(response.headers.get("content-length", 0))
        sizes.setdefault(request.url, (encoded + wire["responseHeadersSize"], len(body)))

    page.on("requestfinished", finished)
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(("http://127.0.0.1:", "blob:", "data:"))
            else outside.append(request.url)
        ),
    )
    page.goto(url)
    page.wait_for_selector("body[data-contributions-drawn][data-map-ready]", timeout=120_000)
    marks = page.evaluate("window.__marks")
    context.close()
    assert not outside, outside
    return {
        "encoded": sum(encoded for encoded, _ in sizes.values()),
        "decoded": sum(decoded for _, decoded in sizes.values()),
        "requests": len(sizes),
        "ready_s": marks["mapReady"] / 1000,
        "drawn_s": marks["contributionsDrawn"] / 1000,
    }


def median_of(visits: list[dict]) -> dict:
    return {key: statistics.median(v[key] for v in visits) for key in visits[0]}


def test_the_map_page_on_fast_3g(bench_results, tmp_path):
    concertation = small_world(title="Bench : la carte sur un téléphone")
    figures = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for name, variables in SERVERS.items():
            port = free_port()
            process = server(variables, port, tmp_path / name)
            try:
                url = f"http://127.0.0.1:{port}/concertations/{concertation.slug}/"
                visit(browser, url, throttled=False)  # the server's caches warm
                fast = median_of([visit(browser, url, throttled=False) for _ in range(RUNS)])
                slow = median_of([visit(browser, url, throttled=True) for _ in range(RUNS)])
            finally:
                process.terminate()
                process.wait(timeout=20)
            wire = slow["encoded"] / FAST_3G["downloadThroughput"] + ROUND_TRIPS * (
                FAST_3G["latency"] / 1000
            )
            figures[name] = {
                "bytes_on_the_wire": int(slow["encoded"]),
                "bytes_decoded": int(slow["decoded"]),
                "requests": int(slow["requests"]),
                "fast_3g_map_ready_s": round(slow["ready_s"], 2),
                "fast_3g_drawn_s": round(slow["drawn_s"], 2),
                "unthrottled_drawn_s": round(fast["drawn_s"], 2),
                "wire_floor_s": round(wire, 2),
                "ratio_to_wire_floor": round(slow["drawn_s"] / wire, 2),
                "ratio_to_unthrottled": round(slow["drawn_s"] / fast["drawn_s"], 2),
            }
        browser.close()
    bench_results["page_weight_fast_3g"] = figures
    print()
    for name, f in figures.items():
        print(
            f"map page, {name}: {f['bytes_on_the_wire'] / 1e6:.2f} MB on the wire "
            f"({f['bytes_decoded'] / 1e6:.2f} MB decoded, {f['requests']} requests); Fast 3G: "
            f"drawn in {f['fast_3g_drawn_s']:.2f} s (style loaded {f['fast_3g_map_ready_s']:.2f} s; "
            f"aim < 4 s), floor {f['wire_floor_s']:.2f} s (bytes / 180 kB/s + "
            f"{ROUND_TRIPS} round trips), ratio {f['ratio_to_wire_floor']:.2f}; unthrottled "
            f"{f['unthrottled_drawn_s']:.2f} s, ratio {f['ratio_to_unthrottled']:.2f}"
        )
