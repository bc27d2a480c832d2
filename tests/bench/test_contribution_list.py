# SPDX-License-Identifier: AGPL-3.0-or-later
"""The public contribution list against its floor, and cached tiles while it is read.

(a) The floor: the same FeatureCollection (the first page of the default order, 100
features, then 1,000) built by one SQL statement (json_build_object, ST_AsGeoJSON) and
read as text through psycopg, prepared, in a loop; (b) our endpoint: uvicorn on
carto_concertation.asgi as production runs it (DEBUG off, two workers), loaded by wrk,
its rate limits lifted for this part. Both at 1 and 2 clients, the best of ATTEMPTS
turns; the ratio is floor requests/s over ours, and the server's CPU per request is read
from /proc. Both answers are checked to be the same FeatureCollection first.

(c) Cached tiles per second (wrk, 4 connections) on the same server with its real rate
limits: alone, then while 1, then 10 anonymous clients (each its own address) read the
list as fast as the heavy-read rate lets them.

The data: 10,000 contributions in every listed status (contribution_data.py).
"""

import http.client
import json
import os
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from carto_concertation.contributions.selectors import LISTED_STATUSES
from carto_concertation.contributions.serializers import hidden_placeholder
from carto_concertation.core.throttles import HeavyReadThrottle
from carto_concertation.territories.models import Territory
from tests.bench import test_tiles
from tests.bench.contribution_data import generate
from tests.bench.test_tiles import free_port, our_server, run_clients, warm, wrk_run
from tests.database import own_connection
from tiles.cache import tiles_covering

pytestmark = pytest.mark.django_db(transaction=True)

CONTRIBUTIONS = 10_000
PAGE_SIZES = (100, 1000)
CLIENTS = (1, 2)
ATTEMPTS = 3
TILE_CONNECTIONS = 4
LIST_CLIENTS = (1, 10)
# Each measurement's length, and the longest answer accepted: on a busy machine a page
# of 1,000 takes seconds (wrk's own limit is 2 s).
LOAD_SECONDS = 6
ANSWER_TIMEOUT = "30s"

# The floor: what the endpoint answers for the first page, in one statement. The words
# (placeholder, anonymous author) and the addresses are given as the endpoint makes them.
FLOOR_SQL = """
WITH listed AS (
    SELECT * FROM contributions_contribution
    WHERE concertation_id = %(concertation)s AND status = ANY(%(listed)s)
), page AS (
    SELECT * FROM listed ORDER BY created_at DESC, id DESC LIMIT %(size)s
), total AS (
    SELECT count(*) AS n FROM listed
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'count', total.n,
    'next', CASE WHEN total.n > %(size)s THEN %(next)s END,
    'previous', NULL,
    'features', coalesce((
        SELECT json_agg(json_build_object(
            'id', p.id,
            'type', 'Feature',
            'geometry', CASE WHEN p.status <> 'hidden'
                             THEN ST_AsGeoJSON(ST_Transform(p.geom, 4326), 7)::json END,
            'properties', json_build_object(
                'title', CASE WHEN p.status = 'hidden'
                              THEN %(hidden_before)s || p.moderation_reason || %(hidden_after)s
                              ELSE p.title END,
                'text', CASE WHEN p.status = 'hidden' THEN '' ELSE p.text END,
                'themes', CASE WHEN p.status = 'hidden' THEN '[]'::json ELSE (
                    SELECT coalesce(json_agg(t.name ORDER BY t.name), '[]')
                    FROM contributions_contribution_themes ct
                    JOIN concertations_theme t ON t.id = ct.theme_id
                    WHERE ct.contribution_id = p.id) END,
                'author', CASE WHEN p.status = 'hidden' THEN NULL
                               ELSE coalesce(u.pseudonym, %(anonymous)s) END,
                'channel', p.channel,
                'status', p.status,
                'answer', CASE WHEN p.status = 'hidden' THEN '' ELSE p.answer END,
                'answer_service', CASE WHEN p.status = 'hidden' THEN ''
                                       ELSE p.answer_service END,
                'answered_at', CASE WHEN p.status <> 'hidden' THEN
                    to_char(p.answered_at, 'YYYY-MM-DD"T"HH24:MI:SS.USTZH:TZM') END,
                'commune', CASE WHEN p.status <> 'hidden' THEN m.insee END,
                'zones', CASE WHEN p.status = 'hidden' THEN '[]'::json ELSE (
                    SELECT coalesce(json_agg(json_build_object(
                        'libelle', z.libelle, 'typezone', z.typezone, 'share', cz.share)
                        ORDER BY cz.id), '[]')
                    FROM contributions_contributionzone cz
                    JOIN plui_documents_zone z ON z.id = cz.zone_id
                    WHERE cz.contribution_id = p.id) END,
                'photos', CASE WHEN p.status = 'hidden' THEN '[]'::json ELSE (
                    SELECT coalesce(json_agg(json_build_object(
                        'id', ph.id, 'url', %(photos)s || ph.id || '.jpg',
                        'width', ph.width, 'height', ph.height) ORDER BY ph.id), '[]')
                    FROM contributions_contributionphoto ph
                    WHERE ph.contribution_id = p.id) END,
                'votes_for', p.votes_for,
                'votes_against', p.votes_against,
                'rating_sum', p.rating_sum,
                'rating_count', p.rating_count,
                'comment_count', (SELECT count(*) FROM engagement_comment cm
                                  JOIN django_content_type t ON t.id = cm.content_type_id
                                  WHERE t.app_label = 'contributions'
                                    AND t.model = 'contribution'
                                    AND cm.object_id = p.id AND cm.status = 'published'),
                'moderation_reason', p.moderation_reason,
                'merged_into', p.merged_into_id,
                'created_at', to_char(p.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.USTZH:TZM')
            )
        ) ORDER BY p.created_at DESC, p.id DESC)
        FROM page p
        LEFT JOIN accounts_user u ON u.id = p.author_id
        LEFT JOIN territories_commune m ON m.id = p.commune_id
    ), '[]')
)::text
FROM total
"""


def floor_params(concertation, port: int, size: int) -> dict:
    base = f"http://127.0.0.1:{port}"
    path = f"/api/v1/concertations/{concertation.slug}/contributions/"
    with translation.override(settings.LANGUAGE_CODE):
        hidden_before, hidden_after = hidden_placeholder("\0").split("\0")
        anonymous = translation.gettext("Anonymous participant")
    return {
        "concertation": concertation.pk,
        "listed": [str(status) for status in LISTED_STATUSES],
        "size": size,
        "next": f"{base}{path}?page=2" + ("" if size == 100 else f"&page_size={size}"),
        "hidden_before": hidden_before,
        "hidden_after": hidden_after,
        "anonymous": anonymous,
        "photos": f"{base}/api/v1/photos/",
    }


def floor_connection():
    conn = own_connection(prepare_threshold=0)
    conn.execute("SELECT set_config('TimeZone', %s, false)", [settings.TIME_ZONE])
    conn.execute("SET max_parallel_workers_per_gather = 0")
    return conn


def floor_work(params: dict):
    def work(start: threading.Barrier) -> list[float]:
        with floor_connection() as conn:
            conn.execute(FLOOR_SQL, params, prepare=True).fetchone()
            start.wait()
            deadline = time.perf_counter() + LOAD_SECONDS
            times = []
            while time.perf_counter() < deadline:
                begun = time.perf_counter()
                conn.execute(FLOOR_SQL, params, prepare=True).fetchone()[0].encode()
                times.append(time.perf_counter() - begun)
            return times

    return work


def server_cpu_seconds(process) -> float:
    """User and system CPU of the server's worker processes so far (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    total = 0
    for pid in [process.pid, *map(int, children)]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def get(port: int, path: str, address: str | None = None) -> tuple[int, bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    client.request("GET", path, headers={"X-Forwarded-For": address} if address else {})
    response = client.getresponse()
    body = response.read()
    client.close()
    return response.status, body


def same_collection(port: int, path: str, floor: str) -> None:
    status, body = get(port, path)
    assert status == 200, body[:300]
    ours, theirs = json.loads(body), json.loads(floor)
    for mine, its in zip(ours.pop("features"), theirs.pop("features"), strict=True):
        assert mine == its, [
            k for k in mine["properties"] if mine["properties"][k] != its["properties"][k]
        ]
    assert ours == theirs


def list_readers(port: int, path: str, readers: int, stop: threading.Event) -> tuple[list, list]:
    """``readers`` anonymous clients, each from its own address, each reading the list
    at the heavy-read rate (one request every duration/number of the rate)."""
    throttle = HeavyReadThrottle()
    interval = throttle.duration / throttle.num_requests
    statuses: list[int] = []

    def reader(n: int) -> None:
        address = f"198.51.100.{n + 1}"
        next_at = time.perf_counter()
        while not stop.is_set():
            status, _body = get(port, path, address)
            statuses.append(status)
            next_at += interval
            stop.wait(max(0.0, next_at - time.perf_counter()))

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    return threads, statuses


def tile_paths() -> list[str]:
    territory = Territory.objects.get(siren="241800432")
    extent = territory.geom.transform(3857, clone=True).extent
    paths = []
    for z in (12, 14):
        covering = tiles_covering(extent, z)
        step = max(1, len(covering) // 20)
        paths += [f"/tiles/zoning/{z}/{x}/{y}.mvt" for x, y in covering[::step][:20]]
    return paths


def test_contribution_list_against_its_floor(tmp_path, monkeypatch, bench_results):
    call_command("load_demo", verbosity=0)
    concertation = generate(CONTRIBUTIONS)
    path = f"/api/v1/concertations/{concertation.slug}/contributions/"
    figures: dict = {"contributions": CONTRIBUTIONS}
    monkeypatch.setattr(test_tiles, "WRK_SECONDS", LOAD_SECONDS)

    # (a) and (b): the rates lifted, as the floor has none.
    for scope in ("API_RATE_ANON", "API_RATE_USER", "HEAVY_READ_RATE"):
        monkeypatch.setenv(scope, "100000000/minute")
    port = free_port()
    server = our_server(True, port)
    try:
        for size in PAGE_SIZES:
            params = floor_params(concertation, port, size)
            page = path if size == 100 else f"{path}?page_size={size}"
            with floor_connection() as conn:
                floor = conn.execute(FLOOR_SQL, params).fetchone()[0]
            same_collection(port, page, floor)
            for clients in CLIENTS:
                best: dict = {}
                for _attempt in range(ATTEMPTS):
                    measured = {"floor": run_clients(clients, floor_work(params))}
                    cpu = server_cpu_seconds(server)
                    ours = wrk_run(port, [page], clients, tmp_path, timeout=ANSWER_TIMEOUT)
                    assert ours["tiles_per_s"] > 0, f"no answer within {LOAD_SECONDS} s"
                    ours["server_cpu_ms_per_request"] = round(
                        1000
                        * (server_cpu_seconds(server) - cpu)
                        / (ours["tiles_per_s"] * LOAD_SECONDS),
                        2,
                    )
                    measured["endpoint"] = ours
                    for name, values in measured.items():
                        if values["tiles_per_s"] > best.get(name, {}).get("tiles_per_s", 0):
                            best[name] = values
                row = {
                    name: {
                        "requests_per_s": values.pop("tiles_per_s"),
                        **values,
                    }
                    for name, values in best.items()
                }
                row["ratio"] = round(
                    row["floor"]["requests_per_s"] / row["endpoint"]["requests_per_s"], 2
                )
                figures[f"page{size}_c{clients}"] = row
    finally:
        server.terminate()
        server.wait(timeout=20)

    # (c): the real rates.
    for scope in ("API_RATE_ANON", "API_RATE_USER", "HEAVY_READ_RATE"):
        monkeypatch.delenv(scope)
    port = free_port()
    server = our_server(True, port)
    try:
        tiles = tile_paths()
        warm(port, tiles)
        alone = max(
            (wrk_run(port, tiles, TILE_CONNECTIONS, tmp_path) for _ in range(ATTEMPTS)),
            key=lambda measured: measured["tiles_per_s"],
        )
        figures["cached_tiles"] = {
            "alone_per_s": alone["tiles_per_s"],
            "alone_p95_ms": alone["p95_ms"],
            "list_rate": HeavyReadThrottle().rate,
        }
        for readers in LIST_CLIENTS:
            stop = threading.Event()
            threads, statuses = list_readers(port, path, readers, stop)
            for thread in threads:
                thread.start()
            try:
                time.sleep(1)  # every reader under way
                loaded = max(
                    (wrk_run(port, tiles, TILE_CONNECTIONS, tmp_path) for _ in range(ATTEMPTS)),
                    key=lambda measured: measured["tiles_per_s"],
                )
            finally:
                stop.set()
                for thread in threads:
                    thread.join()
            assert statuses and set(statuses) == {200}, sorted(set(statuses))
            figures["cached_tiles"][f"with_{readers}_list_readers"] = {
                "per_s": loaded["tiles_per_s"],
                "p95_ms": loaded["p95_ms"],
                "list_requests": len(statuses),
            }
    finally:
        server.terminate()
        server.wait(timeout=20)
    bench_results["contribution_list"] = figures
    print(f"\ncontribution list: {json.dumps(figures, indent=1)}")
