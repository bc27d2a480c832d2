# SPDX-License-Identifier: AGPL-3.0-or-later
"""Resident memory of each web process under a soak of mixed traffic, over time.

The server is started as `make run` starts it (uvicorn, 2 workers, DATABASE_POOL=1), on
the demo territory with 2,000 more ideas, once with DEBUG on (as `make run` serves) and
once with DEBUG off (as production does). wrk sends, on 4 connections, what visitors ask
for: the home and concertation pages, the contributions list (GeoJSON) with and without
filters, the API's lists, a zoning lookup, a regulation search, TileJSONs, the style and
vector tiles at zooms 10–16 (cached after their first visit, as on a real site); and on
one more connection what a signed-in resident does: their account, the dashboard, votes
given and withdrawn (each moves the tiles under the idea).

Every SAMPLE_SECONDS the RSS of each worker is read from /proc. The figures, per process
(the larger is reported): the growth after warm-up, the highest RSS of the last half of
the soak over the highest of the half before, after WARM_UP_SECONDS (1.00: flat); and
what a worker keeps IDLE_SECONDS after the traffic stops, over its RSS at start.
The same soak as before the bound (glibc's own number of malloc arenas,
MALLOC_ARENA_MAX=16, eight per core here, and no periodic release:
WEB_MEMORY_RELEASE_SECONDS=0; see carto_concertation/asgi.py) is the reference that
shows what the bound holds back. SOAK_SECONDS (120 by default) sets each
soak's length; a longer run: `SOAK_SECONDS=3600 make bench`.
"""

import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from carto_concertation.accounts.models import User
from carto_concertation.concertations.models import Concertation
from tests.bench.test_map_page import add_contributions
from tests.bench.test_tiles import free_port, start_server

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent.parent
SOAK_SECONDS = int(os.environ.get("SOAK_SECONDS", "120"))
WARM_UP_SECONDS = max(30, SOAK_SECONDS // 3)
SAMPLE_SECONDS = max(10, SOAK_SECONDS // 12)
IDLE_SECONDS = 15  # after the soak: longer than WEB_MEMORY_RELEASE_SECONDS (10)
IDEAS = 2_000
CONFIGURATIONS = {
    "debug_on": {"DEBUG": "1"},
    "debug_off": {"DEBUG": "0"},
    # As before the bound: glibc's own arenas, no periodic release.
    "debug_on_unbounded": {
        "DEBUG": "1",
        "MALLOC_ARENA_MAX": "16",
        "WEB_MEMORY_RELEASE_SECONDS": "0",
    },
}
WRK_SCRIPT = """
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function() refused = 0; codes = {} end
local requests = {%s}
local i = 0
request = function()
  i = i + 1
  local r = requests[(i %% #requests) + 1]
  return wrk.format(r[1], r[2], headers, r[3])
end
headers = {["Accept-Encoding"] = "gzip"%s}
response = function(status)
  if status >= 400 then
    refused = refused + 1
    codes[status] = (codes[status] or 0) + 1
  end
end
done = function(summary)
  local errors = summary.errors
  local refused = 0
  local seen = ""
  for _, thread in ipairs(threads) do
    refused = refused + thread:get("refused")
    for code, count in pairs(thread:get("codes")) do seen = seen .. " " .. code .. ":" .. count end
  end
  io.write(string.format("WRK %%d %%d %%d\\n", summary.requests, refused,
    errors.connect + errors.read + errors.write + errors.timeout))
  io.write(string.format("DETAIL refused%%s; connect %%d read %%d write %%d timeout %%d\\n", seen,
    errors.connect, errors.read, errors.write, errors.timeout))
end
"""


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    rad = math.radians(lat)
    y = int((1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2 * n)
    return x, y


def visitor_requests(concertation: Concertation) -> list[tuple[str, str, str]]:
    """What anonymous visitors ask for; pages and API calls as often as the tiles of a map
    view (a page view draws a few dozen tiles)."""
    slug = concertation.slug
    centre = concertation.perimeter.transform(4326, clone=True).point_on_surface
    lon, lat = centre.x, centre.y
    theme = concertation.themes.first().pk
    pages = [
        "/",
        f"/concertations/{slug}/",
        f"/concertations/{slug}/?theme={theme}",
        f"/api/v1/concertations/{slug}/contributions/",
        f"/api/v1/concertations/{slug}/contributions/?theme={theme}",
        "/api/v1/concertations/",
        "/api/v1/communes/",
        "/api/v1/territories/",
        "/api/v1/layers/",
        f"/api/v1/zoning/lookup?lon={lon:.5f}&lat={lat:.5f}",
        "/api/v1/zoning/reglement/search?q=hauteur",
        "/tiles/zoning.json",
        f"/tiles/contributions-{slug}.json",
        f"/tiles/styles/{slug}.json",
    ]
    tiles = []
    for z in range(10, 17):
        cx, cy = tile_of(lon, lat, z)
        reach = 2 if z < 13 else 4
        for dx in range(-reach, reach + 1):
            for dy in range(-reach, reach + 1):
                for tileset in ("zoning", "communes", f"contributions-{slug}"):
                    tiles.append(f"/tiles/{tileset}/{z}/{cx + dx}/{cy + dy}.mvt")
    # Interleaved: one page or API call for every ten tiles.
    mixed = []
    for n, tile in enumerate(tiles):
        mixed.append(tile)
        if n % 10 == 0:
            mixed.append(pages[(n // 10) % len(pages)])
    return [("GET", path, "") for path in mixed]


def resident_requests(concertation: Concertation) -> list[tuple[str, str, str]]:
    """What a signed-in resident does: reads, and votes given then withdrawn."""
    slug = concertation.slug
    ideas = list(
        concertation.contributions.filter(status="published", author=None)
        .order_by("pk")
        .values_list("pk", flat=True)[:20]
    )
    requests = [("GET", "/api/v1/me/", ""), ("GET", f"/concertations/{slug}/", "")]
    for pk in ideas:
        vote = f"/api/v1/concertations/{slug}/contributions/{pk}/vote"
        requests += [("PUT", vote, '{"value": 1}'), ("DELETE", vote, "")]
        requests.append(("GET", f"/api/v1/concertations/{slug}/contributions/{pk}/", ""))
    return requests


def lua_table(requests: list[tuple[str, str, str]]) -> str:
    return ",".join(f'{{"{method}", "{path}", {body!r}}}' for method, path, body in requests)


def signed_in_headers() -> str:
    """A session of the demo resident, and the CSRF pair the API asks of a session."""
    client = Client()
    client.force_login(User.objects.get(email="habitant@demo.invalid"))
    session = client.cookies["sessionid"].value
    token = "soak" * 8
    return (
        f', ["Cookie"] = "sessionid={session}; csrftoken={token}",'
        f' ["X-CSRFToken"] = "{token}", ["Content-Type"] = "application/json"'
    )


def workers_of(server: subprocess.Popen) -> list[int]:
    """uvicorn's worker processes (its children, less multiprocessing's resource tracker)."""
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
    ).stdout.split()
    return [
        int(pid)
        for pid in children
        if "resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    ]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def web_server(port: int, variables: dict[str, str], static_root: Path) -> subprocess.Popen:
    """uvicorn as scripts/run.sh starts Django's processes; DEBUG off gets what production
    needs."""
    env = server_environment(variables, static_root)
    command = [
        sys.executable, "-m", "uvicorn", "carto_concertation.asgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--lifespan", "on",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    return start_server(command, env, port)


def server_environment(variables: dict[str, str], static_root: Path) -> dict[str, str]:
    """The environment of a server on the tests' database, its static files collected in
    ``static_root``."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    env = {
        **{name: value for name, value in os.environ.items() if name != "MALLOC_ARENA_MAX"},
        "DATABASE_URL": f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_POOL": "1",
        # The resident's session is signed with this process's key.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_HTTPS": "0",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        # The soak measures memory, not the rate limits: one client makes all the traffic.
        "API_RATE_ANON": "1000000/minute",
        "API_RATE_USER": "1000000/minute",
        "VOTE_RATE": "1000000/minute",
        "HEAVY_READ_RATE": "1000000/minute",
        **variables,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return env


def soak(port: int, scripts: list[Path], server: subprocess.Popen) -> dict:
    """wrk on the scripts for SOAK_SECONDS; RSS of each worker every SAMPLE_SECONDS."""
    workers = workers_of(server)
    assert len(workers) == 2, workers
    loads = [
        subprocess.Popen(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{SOAK_SECONDS}s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for script, connections in zip(scripts, (4, 1), strict=True)
    ]
    started = time.monotonic()
    samples = []
    while any(load.poll() is None for load in loads):
        samples.append((round(time.monotonic() - started), [round(rss_mb(p)) for p in workers]))
        time.sleep(SAMPLE_SECONDS)
    samples.append((round(time.monotonic() - started), [round(rss_mb(p)) for p in workers]))
    # What each worker keeps once the traffic has stopped (and a release has run).
    time.sleep(IDLE_SECONDS)
    idle = [round(rss_mb(p)) for p in workers]
    totals = [0, 0, 0]
    details = []
    for load in loads:
        lines = load.stdout.read().splitlines()
        line = next(line for line in lines if line.startswith("WRK"))
        totals = [a + int(b) for a, b in zip(totals, line.split()[1:], strict=True)]
        details += [line.removeprefix("DETAIL ") for line in lines if line.startswith("DETAIL")]
    # RSS rises and falls with the requests in flight and each release: the trend is the
    # highest RSS of the soak's last half against the highest of the half before, once
    # warmed up (per worker; the larger ratio is reported).
    after = [rss for at, rss in samples if at >= WARM_UP_SECONDS]
    first, last = after[: len(after) // 2], after[len(after) // 2 :]
    peaks = [[max(column) for column in zip(*half, strict=True)] for half in (first, last)]
    return {
        "requests": totals[0],
        "answered_4xx_5xx": totals[1],
        "socket_errors": totals[2],
        "errors_detail": details,
        "samples": samples,
        "peak_rss_mb": {"warmed_up": peaks[0], "end": peaks[1]},
        "growth_after_warm_up": max(e / w for w, e in zip(*peaks, strict=True)),
        "rss_at_start_mb": samples[0][1],
        "rss_idle_after_mb": idle,
        "kept_after_ratio": max(i / s for s, i in zip(samples[0][1], idle, strict=True)),
    }


def test_memory_stays_flat_under_mixed_traffic(bench_results, settings):
    settings.DEBUG = True
    call_command("load_demo")
    concertation = Concertation.objects.get(status=Concertation.Status.OPEN)
    add_contributions(concertation, IDEAS)
    scratch = Path(tempfile.mkdtemp(prefix="carto-soak-"))
    scripts = [scratch / "visitors.lua", scratch / "resident.lua"]
    scripts[0].write_text(WRK_SCRIPT % (lua_table(visitor_requests(concertation)), ""))
    scripts[1].write_text(
        WRK_SCRIPT % (lua_table(resident_requests(concertation)), signed_in_headers())
    )
    figures = {"soak_seconds": SOAK_SECONDS, "warm_up_seconds": WARM_UP_SECONDS}
    for name, variables in CONFIGURATIONS.items():
        port = free_port()
        server = web_server(port, variables, scratch / "static")
        try:
            figures[name] = soak(port, scripts, server)
        finally:
            server.terminate()
            server.wait(timeout=30)
        result = figures[name]
        print(
            f"\n{name}: {result['requests']} requests, {result['answered_4xx_5xx']} answered "
            f"4xx/5xx, {result['socket_errors']} socket errors ({'; '.join(result['errors_detail'])})"
        )
        for at, rss in result["samples"]:
            print(f"  {at:5d} s  " + "  ".join(f"{mb:5d} MB" for mb in rss))
        print(
            f"  peak RSS per worker after warm-up ({WARM_UP_SECONDS} s) "
            f"{result['peak_rss_mb']['warmed_up']} MB, in the last half "
            f"{result['peak_rss_mb']['end']} MB: growth {result['growth_after_warm_up']:.2f} "
            "(aim: 1.00, flat)"
        )
        print(
            f"  idle {IDLE_SECONDS} s after the soak: {result['rss_idle_after_mb']} MB, "
            f"{result['kept_after_ratio']:.2f} × the RSS at start"
        )
    bench_results["memory_soak"] = figures
    # Requests that time out (60 s: the contributions list under this load) are reported,
    # not failed: what is measured here is memory. An error answer fails the soak.
    for name in CONFIGURATIONS:
        assert figures[name]["answered_4xx_5xx"] == 0, (name, figures[name]["errors_detail"])
