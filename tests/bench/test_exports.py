# SPDX-License-Identifier: AGPL-3.0-or-later
"""GeoJSON export of 100,000 contributions against ogr2ogr on the same SELECT (the floor).

The contributions are generated in PostGIS (INSERT … SELECT over ST_GeneratePoints in
the demo concertation's perimeter), with their commune, zone and theme links, nine in
ten published, one in ten retained with an answer, one in seventeen hidden. The floor
is ``ogr2ogr -f GeoJSON`` (RFC 7946 layout, 7 decimals) reading the export's own public
SELECT; ours is ``manage.py export_concertation --format geojson`` (Django's start-up
included). Both run as subprocesses measured by a small wrapper: wall time and the
child's peak resident memory. The same at 10,000 shows whether memory grows with rows.
"""

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.services import concertation_create
from carto_concertation.contributions.exports.selectors import export_layer_sql
from carto_concertation.territories.models import Territory
from layers.staging import pg_connection_string
from plui_documents.models import UrbanDocument
from tests.conftest import ROOT, _database_url_for

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = (10_000, 100_000)
RUNS = 3
# Runs a command, then prints its wall time (s) and its peak resident memory (kB).
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "started = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "elapsed = time.perf_counter() - started\n"
    "print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def generate(count: int) -> Concertation:
    now = timezone.now()
    concertation = concertation_create(
        territory=Territory.objects.get(siren="241800432"),
        title=f"Banc d'essai {count}",
        phases={Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=1), now + timedelta(days=30))},
        themes=[("Mobilité", "#1f77b4")],
        plui_document=UrbanDocument.objects.get(),
        status=Concertation.Status.OPEN,
    )
    version = concertation.plui_document.current_version_id
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO contributions_contribution (
                concertation_id, title, text, geom, channel, status, answer, answer_service,
                answered_at, votes_for, votes_against, rating_sum, rating_count,
                moderation_reason, status_before_moderation, created_at, updated_at)
            SELECT %(concertation)s, 'Idée générée n° ' || n,
                   'Texte d''une contribution générée pour le banc d''essai ; « guillemets ».',
                   d.geom, 'online',
                   CASE WHEN n %% 10 = 0 THEN 'retained'
                        WHEN n %% 17 = 0 THEN 'hidden' ELSE 'published' END,
                   CASE WHEN n %% 10 = 0 THEN 'Retenu dans le zonage.' ELSE '' END,
                   CASE WHEN n %% 10 = 0 THEN 'Service urbanisme' ELSE '' END,
                   CASE WHEN n %% 10 = 0 THEN now() END,
                   n %% 7, n %% 3, 0, 0,
                   CASE WHEN n %% 10 <> 0 AND n %% 17 = 0 THEN 'Hors charte.' ELSE '' END,
                   '', now(), now()
            FROM (SELECT (dump).geom, (dump).path[1] AS n
                  FROM (SELECT ST_Dump(ST_GeneratePoints(perimeter, %(count)s, 1)) AS dump
                        FROM concertations_concertation WHERE id = %(concertation)s) g) d
            """,
            {"concertation": concertation.pk, "count": count},
        )
        # Point in polygon against real boundaries (thousands of vertices) is slow row
        # by row: cut communes and zones into small indexed pieces first.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_commune_parts AS
            SELECT id, ST_Subdivide(geom, 64) AS geom FROM territories_commune;
            CREATE TEMP TABLE bench_zone_parts AS
            SELECT id, ST_Subdivide(geom, 64) AS geom FROM plui_documents_zone
            WHERE version_id = %(version)s;
            CREATE INDEX ON bench_commune_parts USING gist (geom);
            CREATE INDEX ON bench_zone_parts USING gist (geom);
            UPDATE contributions_contribution c SET commune_id = p.id
            FROM bench_commune_parts p
            WHERE c.concertation_id = %(concertation)s AND ST_Intersects(p.geom, c.geom);
            INSERT INTO contributions_contributionzone (contribution_id, zone_id, share)
            SELECT DISTINCT ON (c.id) c.id, p.id, 1.0
            FROM contributions_contribution c
            JOIN bench_zone_parts p ON ST_Intersects(p.geom, c.geom)
            WHERE c.concertation_id = %(concertation)s;
            INSERT INTO contributions_contribution_themes (contribution_id, theme_id)
            SELECT c.id, t.id FROM contributions_contribution c
            JOIN concertations_theme t ON t.concertation_id = c.concertation_id
            WHERE c.concertation_id = %(concertation)s;
            DROP TABLE bench_commune_parts, bench_zone_parts;
            ANALYZE contributions_contribution;
            ANALYZE contributions_contributionzone;
            ANALYZE contributions_contribution_themes;
            """,
            {"concertation": concertation.pk, "version": version},
        )
    return concertation


def measure(command: list[str], env: dict) -> tuple[float, int]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed, peak_kb = done.stdout.split()
    return float(elapsed), int(peak_kb)


def best(command: list[str], env: dict, output) -> tuple[float, int]:
    runs = []
    for _ in range(RUNS):
        output.unlink(missing_ok=True)  # the GeoJSON driver of ogr2ogr overwrites nothing
        runs.append(measure(command, env))
    return min(elapsed for elapsed, _ in runs), max(peak for _, peak in runs)


def test_geojson_export_against_ogr2ogr(tmp_path, bench_results):
    call_command("load_demo", verbosity=0)
    pg, pg_env = pg_connection_string()
    env = {
        **os.environ,
        **pg_env,
        "DATABASE_URL": _database_url_for(connection.settings_dict["NAME"]),
    }
    # What Django's start-up alone costs the command, to read the ratios net of it.
    startup_s, _peak = best(
        [sys.executable, "manage.py", "export_concertation", "--help"], env, tmp_path / "none"
    )
    figures = {"django_startup_s": round(startup_s, 3)}
    for size in SIZES:
        concertation = generate(size)
        floor_out, ours_out = tmp_path / f"floor-{size}.geojson", tmp_path / f"ours-{size}.geojson"
        floor_command = ["ogr2ogr", "-f", "GeoJSON", str(floor_out), pg]
        floor_command += ["-sql", export_layer_sql(concertation_id=concertation.pk, srid=4326)]
        floor_command += ["-lco", "RFC7946=YES", "-lco", "COORDINATE_PRECISION=7"]
        floor_command += ["-nln", "contributions"]
        ours_command = [sys.executable, "manage.py", "export_concertation", concertation.slug]
        ours_command += ["--format", "geojson", "--output", str(ours_out)]
        floor_s, floor_kb = best(floor_command, env, floor_out)
        ours_s, ours_kb = best(ours_command, env, ours_out)
        ours = json.loads(ours_out.read_bytes())["features"]
        floor = json.loads(floor_out.read_bytes())["features"]
        assert len(ours) == len(floor) > 0.9 * size
        figures[str(size)] = {
            "features": len(ours),
            "ogr2ogr_s": round(floor_s, 3),
            "ogr2ogr_peak_rss_mb": round(floor_kb / 1024, 1),
            "export_s": round(ours_s, 3),
            "export_peak_rss_mb": round(ours_kb / 1024, 1),
            "ratio": round(ours_s / floor_s, 2),
            "ratio_without_startup": round((ours_s - startup_s) / floor_s, 2),
            "export_mb": round(ours_out.stat().st_size / 1e6, 1),
            "ogr2ogr_mb": round(floor_out.stat().st_size / 1e6, 1),
        }
    small, large = figures[str(SIZES[0])], figures[str(SIZES[-1])]
    figures["rss_growth_10x_rows"] = round(
        large["export_peak_rss_mb"] / small["export_peak_rss_mb"], 2
    )
    bench_results["exports"] = figures
    print(f"\nexports: {json.dumps(figures, indent=1)}")
