# SPDX-License-Identifier: AGPL-3.0-or-later
"""PostgreSQL restarted under load (issue 23, faults): a server on a cluster of the
tests' own (tests/faults/services.py) is read by several clients at once — pages, the
API, vector tiles (the tile path's own asyncpg connections), a concertation's page — while
the cluster restarts. During the restart a request may get a 503 with Retry-After,
never a 500; after it, everything answers as before, without restarting the server."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.core.servers import web_server

from .services import fetch, private_postgres

TILE = "/tiles/zoning/14/8326/5770.mvt"
PATHS = ("/", "/api/v1/layers/", TILE, "/concertations/concertation-ouverte-de-test/")
CLIENTS = 6


def database_url_of(settings_dict: dict) -> str:
    db = settings_dict
    return f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def statuses_of(server) -> dict[str, int]:
    return {path: fetch(server, "GET", path).status for path in PATHS}


@pytest.mark.django_db(transaction=True)
def test_a_restart_under_load_is_503_at_worst_then_everything_answers(small_open_concertation):
    with (
        private_postgres(database_url_of(connection.settings_dict)) as cluster,
        web_server({"DATABASE_URL": cluster.url}) as server,
    ):
        before = statuses_of(server)
        assert set(before.values()) <= {200, 204}, before
        answers: Counter = Counter()
        failures: list[str] = []
        stop = threading.Event()

        def load(n: int) -> None:
            while not stop.is_set():
                path = PATHS[n % len(PATHS)]
                n += 1
                try:
                    answer = fetch(server, "GET", path)
                except OSError as error:  # the server itself must not drop a request
                    failures.append(f"{path}: {error!r}")
                    continue
                answers[(path, answer.status)] += 1
                if answer.status == 503 and "retry-after" not in answer.headers:
                    failures.append(f"{path}: a 503 without Retry-After")
                if (answer.status >= 500 and answer.status != 503) or "Traceback" in answer.body:
                    failures.append(f"{path}: {answer.status} {answer.body[:300]}")

        with ThreadPoolExecutor(CLIENTS) as pool:
            running = [pool.submit(load, n) for n in range(CLIENTS)]
            time.sleep(2)
            cluster.restart()
            time.sleep(2)
            stop.set()
            for future in running:
                future.result()

        assert not failures, failures[:5]
        assert sum(answers.values()) > 20, answers  # the load did run through the restart
        # Every web process and the tile path connect again on their own.
        deadline = time.monotonic() + 30
        while (after := statuses_of(server)) != before:
            assert time.monotonic() < deadline, (before, after, answers)
            time.sleep(0.5)
        for _ in range(3 * CLIENTS):  # both processes, every pooled connection
            assert statuses_of(server) == before
