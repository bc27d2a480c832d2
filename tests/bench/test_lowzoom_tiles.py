# SPDX-License-Identifier: AGPL-3.0-or-later
"""Zoning tiles below zoom 12, drawn from the generalised zones, against the raw floor.

On two zonings of about 20,000 zones, generalised once (plui_documents.generalise): the
real shapes of the demo PLUi laid out six EPCI wide (tests.bench.real_zoning: 21,216
zones), and the squares of the tiles bench (test_tiles.generate_data: 20,000 zones, where
simplification removes next to nothing), uncached tiles per second at z8–z11:
(a) floor: ST_AsMVT straight on the source geometry (ST_AsMVTGeom of geom_3857, no
simplification), prepared, in a loop on PostgreSQL;
(b) our tile statement, the same way (the generalised band of the zoom);
(c) our endpoint (uvicorn, carto_concertation.asgi), cache off, loaded by wrk.
The aim (issue 24, point 4): (c) at least twice (a). Also the time the generalisation
took, once, for all the zones. Figures go to bench-results.json.
"""

import dataclasses
import time

import pytest

from layers.selectors import tileset_layers
from plui_documents.generalise import zoning_generalise
from plui_documents.models import DocumentVersion
from tests.bench.real_zoning import generate_real_zoning
from tests.bench.test_tiles import (
    ATTEMPTS,
    floor_work,
    free_port,
    generate_data,
    our_server,
    run_clients,
    wrk_run,
)
from tiles.cache import tiles_covering
from tiles.mvt import visible_layers

pytestmark = pytest.mark.django_db(transaction=True)

ZOOMS = (8, 9, 10, 11)
CLIENTS = (1, 4)


def raw_layers(zoning) -> tuple:
    """The zoning as it was drawn from the source: no band, no ST_Simplify."""
    return tuple(
        dataclasses.replace(layer, simplified=True, small_scale_sources=()) for layer in zoning
    )


def squares() -> tuple[list[DocumentVersion], tuple]:
    bbox = generate_data()
    return [DocumentVersion.objects.get(document__idurba="999999999_PLUI_BENCH")], bbox


@pytest.mark.parametrize("zones", ["real", "squares"])
def test_small_scale_tiles_per_second(zones, tmp_path, bench_results):
    versions, bbox = generate_real_zoning() if zones == "real" else squares()
    started = time.perf_counter()
    rows = sum(zoning_generalise(version=version) for version in versions)
    generalise_seconds = round(time.perf_counter() - started, 2)
    zoning = tileset_layers("zoning")
    raw = raw_layers(zoning)

    results: dict[str, dict] = {}
    port = free_port()
    server = our_server(False, port)
    try:
        for z in ZOOMS:
            tiles = [(z, x, y) for x, y in tiles_covering(bbox, z)]
            paths = [f"/tiles/zoning/{z}/{x}/{y}.mvt" for z, x, y in tiles]
            for clients in CLIENTS:
                row: dict[str, dict] = {}
                for _attempt in range(ATTEMPTS):
                    figures = {
                        "floor": run_clients(clients, floor_work(tiles, raw)),
                        "statement": run_clients(
                            clients, floor_work(tiles, visible_layers(zoning, z))
                        ),
                        "uncached": wrk_run(port, paths, clients, tmp_path, timeout="10s"),
                    }
                    for name, measured in figures.items():
                        if measured["tiles_per_s"] > row.get(name, {}).get("tiles_per_s", 0):
                            row[name] = measured
                results[f"z{z}_c{clients}"] = row
    finally:
        server.terminate()
        server.wait(timeout=20)

    summary = {
        key: {name: figures["tiles_per_s"] for name, figures in row.items()}
        for key, row in results.items()
    }
    bench_results[f"lowzoom_tiles_{zones}"] = {
        "generalise_seconds": generalise_seconds,
        "generalised_rows": rows,
        "tiles_per_s": summary,
        "latency": results,
    }
    print(f"\n{zones}: generalisation {generalise_seconds} s ({rows} rows)")
    print("small-scale zoning tiles/s (uncached) by zoom and clients:")
    for key, row in summary.items():
        print(
            f"  {key}: floor {row['floor']}, statement {row['statement']}, uncached "
            f"{row['uncached']}; statement/floor = {row['statement'] / row['floor']:.2f}, "
            f"uncached/floor = {row['uncached'] / row['floor']:.2f}"
        )
