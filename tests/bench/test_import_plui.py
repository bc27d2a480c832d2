# SPDX-License-Identifier: AGPL-3.0-or-later
"""import_plui against ogr2ogr loading the same ZONE_URBA into PostGIS (the floor).

The import (load, checks, repairs, copy, version switch) is timed apart from the
zoning analysis that follows it (perimeter union, overlaps, gaps), which ogr2ogr does
not do at all. The dataset is generated in PostGIS: 20,000 CNIG zones (about 40 vertices each) over
an area the size of an EPCI (30 × 30 km in Lambert-93), written as a shapefile.
"""

import os
import subprocess
import time

import pytest
from django.db import connection

from layers.staging import pg_connection_string
from plui_documents.services import plui_import, plui_zoning_analyse

pytestmark = pytest.mark.django_db(transaction=True)

ZONES = 20_000
RUNS = 3


def generate_zone_urba(folder) -> str:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS staging.bench_zone_urba")
        cursor.execute(
            """
            CREATE TABLE staging.bench_zone_urba AS
            SELECT n AS id,
                   (ARRAY['UA','UB','1AU','A','N'])[1 + n %% 5] AS "LIBELLE",
                   'zone générée pour le banc d''essai' AS "LIBELONG",
                   (ARRAY['U','U','AUc','A','N'])[1 + n %% 5] AS "TYPEZONE",
                   '' AS "NOMFIC", '' AS "URLFIC",
                   '999999999_PLUI_20250101' AS "IDURBA", '20250101' AS "DATVALID",
                   ST_Segmentize(ST_MakeEnvelope(
                       650000 + (n %% 141) * 212.0, 6600000 + (n / 141) * 212.0,
                       650000 + (n %% 141) * 212.0 + 212.0, 6600000 + (n / 141) * 212.0 + 212.0,
                       2154), 20)::geometry(Polygon, 2154) AS geom
            FROM generate_series(0, %s - 1) AS n
            """,
            [ZONES],
        )
    target = folder / "999999999_ZONE_URBA_20250101.shp"
    pg, env = pg_connection_string()
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "ESRI Shapefile",
            str(target),
            pg,
            "staging.bench_zone_urba",
            "-lco",
            "ENCODING=UTF-8",
        ],
        check=True,
        env={**os.environ, **env},
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE staging.bench_zone_urba")
    return str(target)


def ogr2ogr_floor(source: str) -> float:
    pg, env = pg_connection_string()
    started = time.perf_counter()
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "PostgreSQL",
            pg,
            source,
            "-nln",
            "staging.bench_floor",
            "-overwrite",
            "-t_srs",
            "EPSG:2154",
            "-nlt",
            "PROMOTE_TO_MULTI",
            "-lco",
            "GEOMETRY_NAME=geom",
        ],
        check=True,
        env={**os.environ, **env},
    )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE staging.bench_floor")
    return elapsed


def test_import_plui_against_ogr2ogr(tmp_path, bench_results):
    source = generate_zone_urba(tmp_path)
    floor = min(ogr2ogr_floor(source) for _ in range(RUNS))
    imports, analyses = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        version, report = plui_import(path=source, analyse=False)
        imported = time.perf_counter()
        plui_zoning_analyse(version=version, report=report)
        imports.append(imported - started)
        analyses.append(time.perf_counter() - imported)
        assert report.counts["ZONE_URBA"] == ZONES
    best = min(imports)
    figures = {
        "features": ZONES,
        "ogr2ogr_s": round(floor, 3),
        "import_plui_s": round(best, 3),
        "ratio": round(best / floor, 2),
        "zoning_analysis_s": round(min(analyses), 3),
        "ratio_with_analysis": round((best + min(analyses)) / floor, 2),
        "import_plui_features_per_s": round(ZONES / best),
        "ogr2ogr_features_per_s": round(ZONES / floor),
    }
    bench_results["import_plui"] = figures
    print(f"\nimport_plui: {figures}")
