# SPDX-License-Identifier: AGPL-3.0-or-later
"""Issue 24: how every cost grows with the data, ×1, ×10 and ×100 (tests/bench/scale/).

Each size's database is built once (tests/bench/scale/build/) and reused while the
generator is the same (migrated when only the migrations changed), vacuumed with its
indexes cleaned before any size is measured (build.settle); each is then measured by a
process of its own (tests/bench/scale/measure.py) on the same EPCI, and every figure is
written with its ratio to the ×1 figure (and the tile figures with their ratio to the
floor) to bench-results.json under "scale". SCALE_SIZES chooses the sizes (default x1,x10,x100; the
first build of each takes about 8 minutes, see docs/performance.md).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.scale.build import SIZES, database_url, ensure, settle
from tests.bench.scale.report import table

ROOT = Path(__file__).resolve().parent.parent.parent


def measure(size: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(SIZES[size]),
        "DEBUG": "0",
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_HTTPS": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "carto_concertation.settings",
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.bench.scale.measure"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in run.stdout.splitlines() if line.startswith("SCALE "))
    return json.loads(line.removeprefix("SCALE "))


def flatten(figures: dict) -> dict[str, float]:
    """name → milliseconds, the tile figures as tiles_zoning.z8.uncached_ms."""
    flat = {}
    for name, value in figures.items():
        if name.startswith("tiles_"):
            for zoom, row in value.items():
                for kind, ms in row.items():
                    flat[f"{name}.{zoom}.{kind}"] = ms
        elif isinstance(value, dict) and "ms" in value:
            flat[name] = value["ms"]
    return flat


def growth(per_size: dict[str, dict]) -> dict[str, dict]:
    """Per figure: its milliseconds at each size, ratio to ×1, and to the floor."""
    flat = {size: flatten(figures) for size, figures in per_size.items()}
    base = flat.get("x1", {})
    table = {}
    for name in base:
        row = {}
        for size, figures in flat.items():
            if name not in figures:
                continue
            row[size] = figures[name]
            if base[name]:
                row[f"{size}_vs_x1"] = round(figures[name] / base[name], 2)
            if name.endswith("uncached_ms"):
                floor = figures.get(name.replace("uncached_ms", "floor_ms"))
                if floor:
                    row[f"{size}_vs_floor"] = round(figures[name] / floor, 2)
        table[name] = row
    return table


def test_scale(bench_results):
    sizes = os.environ.get("SCALE_SIZES", "x1,x10,x100").split(",")
    builds, per_size = {}, {}
    for size in sizes:
        started = time.perf_counter()
        builds[size] = ensure(SIZES[size])
        builds[size]["ensure_seconds"] = round(time.perf_counter() - started, 1)
    for size in sizes:  # all of them before any is measured: no VACUUM under a figure
        builds[size]["vacuum_seconds"] = settle(SIZES[size])
    for size in sizes:
        per_size[size] = measure(size)
    rows = growth(per_size)
    bench_results["scale"] = {
        "builds": builds,
        "figures": per_size,
        "growth": rows,
        "load_average": os.getloadavg(),
    }
    print("\nscale: build seconds and bytes:", builds)
    print(table(bench_results["scale"]))
    for size in per_size:
        print(
            f"  {size}: web peak RSS {per_size[size]['web_peak_rss_kb']} kB,"
            f" worker {per_size[size].get('worker_peak_rss_kb')} kB (export),"
            f" {per_size[size].get('worker_import_peak_rss_kb')} kB (import)"
        )
