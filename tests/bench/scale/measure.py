# SPDX-License-Identifier: AGPL-3.0-or-later
"""Issue 24 point 2's figures on one size's database, printed as one JSON line.

Run by tests/bench/test_scale.py as ``python -m tests.bench.scale.measure SIZE`` with
DATABASE_URL on that size's database: this process is the web process (Django's full
request path through the test client: middleware, view, serializer, no HTTP socket),
and its peak RSS is the web figure of point 7; the worker's is that of a process
running the export job (``manage.py export_concertation``) on the same data.

Everything is taken on the first synthetic EPCI ("banc-d-essai-0"), which is the same
territory at every size: a figure that grows with the size grows with the data of
*other* territories. Each figure is the median of RUNS, after one warm-up.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django
import mapbox_vector_tile
import redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carto_concertation.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from carto_concertation.accounts.archives import DATA_EXPORT_JOB, archives_erase  # noqa: E402
from carto_concertation.accounts.models import User  # noqa: E402
from carto_concertation.accounts.services import account_erase  # noqa: E402
from carto_concertation.accounts.tasks import data_export_task  # noqa: E402
from carto_concertation.celery import app as celery_app  # noqa: E402
from carto_concertation.concertations.models import Concertation  # noqa: E402
from carto_concertation.core.models import AuditEntry, Job  # noqa: E402
from carto_concertation.opendata.collections import collections  # noqa: E402
from layers.selectors import tileset_layers  # noqa: E402
from plui_documents.models import UrbanDocument  # noqa: E402
from plui_documents.tasks import plui_import_task  # noqa: E402
from tests.bench.scale.build import HEAVY_EMAIL  # noqa: E402
from tests.bench.test_tiles import tile_list  # noqa: E402
from tests.database import own_connection  # noqa: E402
from tiles.mvt import WEB_MERCATOR_WIDTH, tile_statement  # noqa: E402

RUNS = int(os.environ.get("SCALE_RUNS", "5"))
ZOOMS = range(8, 17)
TILES_PER_ZOOM = 4
SLOW_SECONDS = 5
ROOT = Path(__file__).resolve().parents[3]
SLUG = "banc-d-essai-0"
SIREN = "200000000"  # the first synthetic EPCI's
# The demo's real CNIG delivery (CC Les Trois Provinces, 221 zones, its règlement's PDF),
# imported as a new EPCI's plan: a document the database does not hold yet.
DELIVERY = ROOT / "demo" / "plui" / "241800432_PLUi_20200128"
IMPORT_IDURBA = "299999999_PLUI_20250101"
IMPORT_RUNS = 3


def median_ms(action, runs: int = RUNS) -> float:
    started = time.perf_counter()
    action()
    first = time.perf_counter() - started
    if first > SLOW_SECONDS:
        # Far off any aim already: one more run would only lengthen the bench.
        return round(first * 1000, 2)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def fetch(client: Client, path: str, method: str = "get", expect=(200,), **extra) -> bytes:
    response = getattr(client, method)(path, **extra)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code in expect, (path, response.status_code, body[:300])
    return body


def epci_tiles() -> dict[int, list[tuple[int, int, int]]]:
    """Per zoom, TILES_PER_ZOOM tiles around the centre of the EPCI's outline."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT"
            " ST_Transform(ST_Expand(ST_PointOnSurface(geom), 3000), 3857) e"
            " FROM territories_territory WHERE siren = %s) b",
            [SIREN],
        )
        bbox = cursor.fetchone()
    return tile_list(bbox, zooms=ZOOMS, per_zoom=TILES_PER_ZOOM)


def floor_ms(tiles, layers) -> float:
    """The prepared ST_AsMVT statement straight on PostgreSQL (test_tiles' floor)."""
    usable = tuple(layer for layer in layers if layer.minzoom <= tiles[0][0] <= layer.maxzoom)
    if not usable:
        return 0.0
    statement = tile_statement(usable)
    # A layer's URL filters are parameters of its statement: none given here.
    unfiltered = {name: None for layer in usable for name, _values in layer.filters}
    with own_connection(prepare_threshold=0) as conn:
        conn.execute("SET max_parallel_workers_per_gather = 0")

        def run():
            for z, x, y in tiles:
                conn.execute(
                    statement,
                    {
                        **unfiltered,
                        "z": z,
                        "x": x,
                        "y": y,
                        "margin": 64 / 4096,
                        "tolerance": WEB_MERCATOR_WIDTH / (4096 * 2**z) / 2,
                    },
                    prepare=True,
                    binary=True,
                ).fetchone()

        return round(median_ms(run) / len(tiles), 2)


def tile_features(client: Client, path: str) -> int:
    """The features of a tile, every layer."""
    body = fetch(client, path, expect=(200, 204))
    return sum(len(layer["features"]) for layer in mapbox_vector_tile.decode(body).values())


def tile_figures(client: Client, tileset: str, tiles, floor: bool) -> dict:
    figures = {}
    layers = tileset_layers(tileset)
    for z, z_tiles in tiles.items():
        paths = [f"/tiles/{tileset}/{z}/{x}/{y}.mvt" for z, x, y in z_tiles]

        def all_tiles(paths=paths):
            for path in paths:
                fetch(client, path, expect=(200, 204), HTTP_ACCEPT_ENCODING="gzip")

        with override_settings(TILE_CACHE_ENABLED=False):
            uncached = median_ms(all_tiles) / len(paths)
        cache.clear()
        with override_settings(TILE_CACHE_ENABLED=True):
            cached = median_ms(all_tiles) / len(paths)
        figures[f"z{z}"] = {
            "uncached_ms": round(uncached, 2),
            "cached_ms": round(cached, 2),
            # What the tiles hold: a z8 tile around the first EPCI holds its neighbours
            # too, and at ×1 there are fewer of them (report.verdict).
            "features": round(statistics.mean(tile_features(client, path) for path in paths), 1),
        }
        if floor:
            figures[f"z{z}"]["floor_ms"] = floor_ms(z_tiles, layers)
    return figures


def peak_rss_kb() -> int:
    """This program's peak RSS (VmHWM: getrusage's ru_maxrss keeps the parent's across
    fork and exec, so it would report pytest's)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])


WORKER = """
import django, os, sys
from pathlib import Path
django.setup()
from django.core.management import call_command
call_command("export_concertation", sys.argv[1], format="geojson", output=Path(sys.argv[2]))
status = Path("/proc/self/status").read_text()
print(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])
"""


def run_worker(program: str, *args: str):
    """A program in a process of its own, as a worker runs a job: its last line, JSON."""
    run = subprocess.run(
        [sys.executable, "-c", program, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout.splitlines()[-1])


def worker_rss_kb(slug: str, tmp: Path) -> int:
    """Peak RSS of a process doing a worker's job: the GeoJSON export of the concertation
    (what the export task runs)."""
    return run_worker(WORKER, slug, str(tmp / "bench-scale-export.geojson"))


def import_plui_ms(tmp: Path) -> float:
    """The median time of the import job (plui_import_task, what the worker runs: load,
    checks, repairs, write, generalisation, règlement, analysis) on a copy of DELIVERY;
    each import is removed after it (document, job, journal line), so that the database
    stays as built."""
    times = []
    for _ in range(IMPORT_RUNS):
        upload = Path(tempfile.mkdtemp(dir=tmp)) / DELIVERY.name
        shutil.copytree(DELIVERY, upload)
        job = Job.objects.create(
            kind="plui_import",
            title="PLUi",
            params={"path": str(upload), "idurba": IMPORT_IDURBA},
        )
        last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        started = time.perf_counter()
        plui_import_task(str(job.pk))
        times.append(time.perf_counter() - started)
        job.refresh_from_db()
        assert job.status == Job.Status.SUCCEEDED, job.message
        UrbanDocument.objects.filter(idurba=IMPORT_IDURBA).delete()
        AuditEntry.objects.filter(pk__gt=last_entry, action="plui.imported").delete()
        job.delete()
    return round(statistics.median(times) * 1000, 2)


IMPORTER = """
import json, sys
from pathlib import Path
from tests.bench.scale.measure import import_plui_ms, peak_rss_kb
print(json.dumps({"ms": import_plui_ms(Path(sys.argv[1])), "peak_rss_kb": peak_rss_kb()}))
"""


def signed_in(user: User) -> Client:
    """A client signed in with the second factor passed (as tests/conftest.py's)."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "mfa", "at": time.time(), "type": "totp"}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def participation_figures(visitor: Client, bbox: list[float]) -> dict:
    """The figures of the concertation and its planners."""
    staff = signed_in(User.objects.get(email="urbanisme@demo.invalid"))
    api = f"/api/v1/concertations/{SLUG}"
    return {
        "contributions_list_bbox_filter": lambda: fetch(
            visitor,
            f"{api}/contributions/?bbox={','.join(map(str, bbox))}&status=published",
        ),
        # What the dashboard's map waits on: the counts per zone (the outlines are the
        # zoning tiles'); stats/zones, every outline as GeoJSON, is a download.
        "stats_zones": lambda: fetch(staff, f"{api}/stats/zones/counts"),
        "stats_communes": lambda: fetch(staff, f"{api}/stats/communes"),
        "heatmap": lambda: fetch(staff, f"{api}/heatmap"),
        "export_geojson": lambda: (cache.clear(), fetch(visitor, f"{api}/export?format=geojson")),
    }


def my_data_figures(person: Client, user: User) -> dict:
    """The "download my data" of the most active resident: what they wait for on the
    page — the request that queues the job, answered by a redirect to the page that
    follows it — and, apart, the job's own duration (the task's body run here, as the
    worker runs it; no page aim). The jobs go to a queue of this run that no worker
    takes, emptied at the end, and every archive made is deleted."""
    queue = f"bench-scale-{os.getpid()}"
    previous, celery_app.conf.task_default_queue = celery_app.conf.task_default_queue, queue
    asked, built = [], []
    try:
        for _ in range(RUNS + 1):  # the first one warms up
            archives_erase(user=user)
            cache.clear()  # the rate limit of the requests (DATA_EXPORT_RATE)
            started = time.perf_counter()
            fetch(person, "/accounts/data/", "post", expect=(302,))
            asked.append(time.perf_counter() - started)
            job = Job.objects.filter(kind=DATA_EXPORT_JOB, created_by=user).latest("created_at")
            started = time.perf_counter()
            data_export_task(str(job.pk))
            built.append(time.perf_counter() - started)
            assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED
    finally:
        archives_erase(user=user)
        celery_app.conf.task_default_queue = previous
        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(queue)
    return {
        "download_my_data": {"ms": round(statistics.median(asked[1:]) * 1000, 2)},
        "download_my_data_job": {"ms": round(statistics.median(built[1:]) * 1000, 2)},
    }


def main() -> None:
    results: dict = {"runs": RUNS, "load_average": os.getloadavg()}
    visitor = Client()
    cache.clear()
    tiles = epci_tiles()
    results["tiles_zoning"] = tile_figures(visitor, "zoning", tiles, floor=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p), ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM"
            " (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) p,"
            "  ST_Transform(ST_Expand(ST_PointOnSurface(geom), 3000), 4326) b"
            "  FROM territories_territory WHERE siren = %s) g",
            [SIREN],
        )
        lon, lat, *bbox = cursor.fetchone()
    figures = {
        "zone_lookup": lambda: fetch(visitor, f"/api/v1/zoning/lookup?lon={lon}&lat={lat}"),
    }
    zoning = next((c for c in collections() if "zon" in c.id), None)
    if zoning is not None:
        figures["ogc_items"] = lambda: fetch(
            visitor, f"/ogc/collections/{zoning.id}/items?limit=100"
        )
    participation = Concertation.objects.filter(slug=SLUG).exists()
    if participation:
        figures.update(participation_figures(visitor, bbox))
    for name, action in figures.items():
        results[name] = {"ms": median_ms(action)}

    if participation:
        results["tiles_contributions"] = tile_figures(
            visitor, f"contributions-{SLUG}", tiles, floor=True
        )
        heavy = User.objects.get(email=HEAVY_EMAIL)
        results.update(my_data_figures(signed_in(heavy), heavy))

        def erase():
            with transaction.atomic():
                account_erase(user=User.objects.get(pk=heavy.pk))
                transaction.set_rollback(True)

        results["account_deletion"] = {"ms": median_ms(erase)}
    results["web_peak_rss_kb"] = peak_rss_kb()
    importer = run_worker(IMPORTER, tempfile.gettempdir())
    results["import_plui"] = {"ms": importer["ms"]}
    results["worker_import_peak_rss_kb"] = importer["peak_rss_kb"]
    if participation:
        results["worker_peak_rss_kb"] = worker_rss_kb(SLUG, Path(tempfile.gettempdir()))
    print("SCALE " + json.dumps(results))


if __name__ == "__main__":
    main()
