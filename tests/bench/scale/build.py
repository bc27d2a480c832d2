# SPDX-License-Identifier: AGPL-3.0-or-later
# ruff: noqa: S608 -- the SQL is built from this module's constants and ids it read back, no input.
"""The three sizes of issue 24, each in a database of its own, built once and kept.

Every synthetic EPCI is the demo territory (CC Les Trois Provinces: its 11 communes and
221 PLUi zones) scaled by one half and laid 4 × 4 times side by side: 176 communes and
3,536 zones over about 50 × 40 km, a dense PLUi as a real intercommunalité has. The EPCI
are then laid on a 22-column grid from Lambert-93's south-west corner of France, each
with its own SIREN, INSEE codes, PLUi document and version. Nothing is random: points are
drawn by ST_GeneratePoints with a fixed seed per EPCI, everything else is arithmetic on
the row number.

  ×1:   6 EPCI, 21,216 zones, about 105,000 contributions and 31,800 signalements
  ×10:  57 EPCI, 201,552 zones, about 997,500 contributions and 302,100 signalements
  ×100: 566 EPCI, 2,001,376 zones, zoning only

Each participating EPCI has an open concertation over its outline (the demo's phases,
themes and modules), 2,000 residents, 17,500 contributions (one in fifteen a line, one in
twenty-one an area; every status; zones and commune linked), about one vote per
contribution and 5,300 signalements. One person (``bench-heavy@example.org``) wrote
1,000 of the first EPCI's contributions, for "download my data" and account deletion.

A database is stamped with generator_version() and its size: a later run reuses it, and
rebuilds it only when this file or the list of migrations changed.
"""

import hashlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import psycopg

GENERATOR_VERSION = "2"
ROOT = Path(__file__).resolve().parents[3]
COPIES = 4  # demo copies per side of an EPCI
GRID_COLUMNS = 22
EPCI_STEP = (50_500, 40_000)  # metres between EPCI, Lambert-93
COPY_STEP = (12_600, 9_800)  # metres between demo copies inside one EPCI
ORIGIN = (100_000, 6_060_000)  # south-west of metropolitan France, Lambert-93
DEMO_ORIGIN = (680_000, 6_625_000)  # south-west of the demo territory's extent
RESIDENTS = 2_000
CONTRIBUTIONS = 17_500
REPORTS = 5_300
HEAVY_CONTRIBUTIONS = 1_000
HEAVY_EMAIL = "bench-heavy@example.org"


@dataclass(frozen=True)
class Size:
    name: str
    epci: int
    participation: bool


SIZES = {
    "x1": Size("x1", 6, True),
    "x10": Size("x10", 57, True),
    "x100": Size("x100", 566, False),
}


def generator_version() -> str:
    """GENERATOR_VERSION with a digest of this file and of the migrations' names: a change
    to the generator or a new migration rebuilds the databases, nothing else does."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for migration in sorted(ROOT.glob("**/migrations/0*.py")):
        if ".venv" not in migration.parts:
            digest.update(str(migration.relative_to(ROOT)).encode())
    return f"{GENERATOR_VERSION}-{digest.hexdigest()[:12]}"


def database_url(size: Size) -> str:
    """The size's database on the server of DATABASE_URL."""
    url = urlparse(os.environ["DATABASE_URL"])
    return url._replace(path=f"/carto_bench_scale_{size.name}").geturl()


def connect(url: str, **options) -> psycopg.Connection:
    url = urlparse(url)
    return psycopg.connect(
        dbname=url.path.lstrip("/"),
        host=url.hostname,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        **options,
    )


def stamp(url: str) -> dict | None:
    """What built this database (version, size, seconds, bytes), or None."""
    try:
        with connect(url) as conn:
            row = conn.execute(
                "SELECT version, size, seconds, bytes FROM bench_scale_stamp"
            ).fetchone()
    except psycopg.Error:
        return None
    return dict(zip(("version", "size", "seconds", "bytes"), row, strict=True)) if row else None


def ensure(size: Size) -> dict:
    """Build the size's database unless it is already stamped with this generator."""
    url = database_url(size)
    found = stamp(url)
    if found and found["version"] == generator_version() and found["size"] == size.name:
        return {**found, "reused": True}
    return {**build(size), "reused": False}


def _recreate(url: str, template: str | None = None) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    common = ["-h", parsed.hostname, "-p", str(parsed.port or 5432), "-U", parsed.username]
    subprocess.run(["dropdb", *common, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *common, *(["-T", template] if template else []), name], check=True)
    if template is None:
        subprocess.run(
            ["psql", "-q", *common, "-d", name, "-c", "CREATE EXTENSION postgis"], check=True
        )


def seed() -> str:
    """The migrated database with the demo loaded, which every size starts as a copy of
    (rebuilt with the generator's version: a new migration needs a new version)."""
    url = database_url(Size("seed", 0, False))
    found = stamp(url)
    if found and found["version"] == generator_version():
        return url
    _recreate(url)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    for command in (["migrate", "-v", "0"], ["load_demo"]):
        subprocess.run(
            ["nice", "-n", "10", sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    with connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE bench_scale_stamp (version text, size text, seconds real, bytes bigint);"
            f"INSERT INTO bench_scale_stamp VALUES ('{generator_version()}', 'seed', 0, 0)"
        )
    return url


def build(size: Size) -> dict:
    url = database_url(size)
    started = time.perf_counter()
    _recreate(url, template=urlparse(seed()).path.lstrip("/"))
    with connect(url, autocommit=True) as raw:
        raw.execute("SET client_min_messages = warning; DROP TABLE bench_scale_stamp")
        conn = Timed(raw)
        generate(conn, size)
        seconds = round(time.perf_counter() - started, 1)
        conn.execute("VACUUM ANALYZE")
        size_bytes = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        conn.execute(
            "CREATE TABLE bench_scale_stamp (version text, size text, seconds real, bytes bigint)"
        )
        conn.execute(
            "INSERT INTO bench_scale_stamp VALUES (%s, %s, %s, %s)",
            (generator_version(), size.name, seconds, size_bytes),
        )
    return {
        "version": generator_version(),
        "size": size.name,
        "seconds": seconds,
        "bytes": size_bytes,
    }


class Timed:
    """The connection, printing each statement that takes over a second (to see which
    step a size's build spends its time on)."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def execute(self, query, params=None):
        # One statement at a time (none of ours has ";" then a line break inside).
        parts = [query] if params else [p for p in query.split(";\n") if p.strip()]
        for part in parts:
            started = time.perf_counter()
            result = self.conn.execute(part, params)
            seconds = time.perf_counter() - started
            if seconds > 1:
                words = " ".join(str(part).split())[:100]
                print(f"  {seconds:7.1f} s  {words}", file=sys.stderr, flush=True)
        return result


def columns(conn: psycopg.Connection, table: str) -> list[str]:
    """The columns one writes (not the identity, not the generated ones)."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
            " AND is_generated = 'NEVER' AND column_name <> 'id' ORDER BY ordinal_position",
            (table,),
        )
    ]


def clone(conn, table: str, source: str, overrides: dict[str, str], with_id: bool = False):
    """INSERT INTO table SELECT each column from the alias ``s`` of ``source`` (a FROM
    clause) unless ``overrides`` gives its expression: the demo's rows copied with what
    makes each copy its own, whatever columns the models add later."""
    names = (["id"] if with_id else []) + columns(conn, table)
    values = [overrides.get(name, f"s.{name}") for name in names]
    conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} FROM {source}"
    )


def sequence(table: str) -> str:
    return f"nextval(pg_get_serial_sequence('{table}', 'id'))"


def generate(conn: psycopg.Connection, size: Size) -> None:
    ex, ey = EPCI_STEP
    cx, cy = COPY_STEP
    conn.execute(
        f"""
        CREATE FUNCTION pg_temp.place(g geometry, e bigint, c bigint) RETURNS geometry
        LANGUAGE sql IMMUTABLE AS $$
          SELECT ST_Translate(ST_Scale(ST_Translate(g, -{DEMO_ORIGIN[0]}, -{DEMO_ORIGIN[1]}),
                                       0.5, 0.5),
                              {ORIGIN[0]} + (e % {GRID_COLUMNS}) * {ex} + (c % {COPIES}) * {cx},
                              {ORIGIN[1]} + (e / {GRID_COLUMNS}) * {ey} + (c / {COPIES}) * {cy})
        $$;
        -- Departments 30-89 (a valid INSEE code, away from the demo's 18): 60,000 codes,
        -- repeated past that only in the ×100 zoning, which has no commune rows.
        CREATE FUNCTION pg_temp.insee(q bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
          SELECT (30 + (q / 1000) % 60)::text || lpad((q % 1000)::text, 3, '0')
        $$;
        CREATE TEMP TABLE g_copy AS
          SELECT e, c, e * {COPIES * COPIES} + c AS k
          FROM generate_series(0, {size.epci - 1}) e, generate_series(0, {COPIES**2 - 1}) c;
        CREATE TEMP TABLE demo_commune AS
          SELECT row_number() OVER (ORDER BY insee) - 1 AS j, id, insee FROM territories_commune;
        CREATE TEMP TABLE m_territory AS
          SELECT e, (SELECT min(id) FROM territories_territory) AS old_id,
                 {sequence("territories_territory")} AS new_id
          FROM generate_series(0, {size.epci - 1}) e;
        """
    )
    clone(
        conn,
        "territories_territory",
        "m_territory m JOIN territories_territory s ON s.id = m.old_id",
        {
            "id": "m.new_id",
            "siren": "'2' || lpad(m.e::text, 8, '0')",
            "name": "'Communauté de communes de banc d''essai ' || m.e",
            "geom": f"""(SELECT ST_Multi(ST_Union(pg_temp.place(s.geom, m.e, c)))
                         FROM generate_series(0, {COPIES**2 - 1}) c)""",
        },
        with_id=True,
    )
    document = conn.execute(
        "SELECT d.id, d.current_version_id FROM plui_documents_urbandocument d"
        " WHERE d.current_version_id IS NOT NULL ORDER BY d.id LIMIT 1"
    ).fetchone()
    conn.execute(
        f"""
        CREATE TEMP TABLE m_document AS
          SELECT e, new_id AS territory_id, {document[0]} AS old_id,
                 {sequence("plui_documents_urbandocument")} AS new_id,
                 {document[1]} AS old_version, {sequence("plui_documents_documentversion")}
                   AS new_version
          FROM m_territory;
        """
    )
    idurba = "'2' || lpad(m.e::text, 8, '0') || '_PLUI_20240101'"
    clone(
        conn,
        "plui_documents_urbandocument",
        "m_document m JOIN plui_documents_urbandocument s ON s.id = m.old_id",
        {
            "id": "m.new_id",
            "idurba": idurba,
            "siren": "'2' || lpad(m.e::text, 8, '0')",
            "current_version_id": "NULL",
            "territory_id": "m.territory_id",
        },
        with_id=True,
    )
    clone(
        conn,
        "plui_documents_documentversion",
        "m_document m JOIN plui_documents_documentversion s ON s.id = m.old_version"
        " JOIN territories_territory t ON t.id = m.territory_id",
        {
            "id": "m.new_version",
            "document_id": "m.new_id",
            "perimeter": "t.geom",
            "communes": """(SELECT array_agg(pg_temp.insee(g.k * 11 + d.j))
                             FROM g_copy g, demo_commune d WHERE g.e = m.e)""",
            "imported_by_id": "NULL",
        },
        with_id=True,
    )
    conn.execute(
        "UPDATE plui_documents_urbandocument d SET current_version_id = m.new_version"
        " FROM m_document m WHERE d.id = m.new_id"
    )
    if size.participation:
        clone(
            conn,
            "territories_commune",
            "g_copy g JOIN demo_commune d ON true JOIN territories_commune s ON s.id = d.id"
            " JOIN m_territory m ON m.e = g.e",
            {
                "insee": "pg_temp.insee(g.k * 11 + d.j)",
                "name": "s.name || ' ' || g.k",
                "geom": "pg_temp.place(s.geom, g.e, g.c)",
                "territory_id": "m.new_id",
            },
        )
    clone(
        conn,
        "plui_documents_zone",
        f"g_copy g JOIN m_document m ON m.e = g.e"
        f" JOIN plui_documents_zone s ON s.version_id = {document[1]}"
        " LEFT JOIN demo_commune d ON d.insee = s.insee",
        {
            "version_id": "m.new_version",
            "insee": "coalesce(pg_temp.insee(g.k * 11 + d.j), '')",
            "idurba": idurba,
            "source_fid": "g.c * 100000 + s.source_fid",
            "geom": "pg_temp.place(s.geom, g.e, g.c)",
        },
    )
    conn.execute("ANALYZE plui_documents_zone; ANALYZE territories_commune")
    if size.participation:
        participation(conn, size)


def participation(conn: psycopg.Connection, size: Size) -> None:
    concertation = conn.execute(
        "SELECT id FROM concertations_concertation WHERE status = 'open' ORDER BY id LIMIT 1"
    ).fetchone()[0]
    planner = conn.execute(
        "SELECT user_id FROM accounts_roleassignment WHERE role = 'planner' ORDER BY id LIMIT 1"
    ).fetchone()[0]
    conn.execute(
        f"""
        CREATE TEMP TABLE m_concertation AS
          SELECT m.e, m.territory_id, m.new_id AS document_id, {concertation} AS old_id,
                 {sequence("concertations_concertation")} AS new_id
          FROM m_document m;
        INSERT INTO accounts_roleassignment (role, created_at, territory_id, user_id)
        SELECT 'planner', now(), new_id, {planner} FROM m_territory;
        """
    )
    clone(
        conn,
        "concertations_concertation",
        "m_concertation m JOIN concertations_concertation s ON s.id = m.old_id"
        " JOIN territories_territory t ON t.id = m.territory_id",
        {
            "id": "m.new_id",
            "slug": "'banc-d-essai-' || m.e",
            "title": "'Révision du PLUi de banc d''essai ' || m.e",
            "perimeter": "t.geom",
            "plui_document_id": "m.document_id",
            "territory_id": "m.territory_id",
        },
        with_id=True,
    )
    for child in ("concertations_theme", "concertations_phase", "concertations_spacemodule"):
        clone(
            conn,
            child,
            f"m_concertation m JOIN {child} s ON s.concertation_id = m.old_id",
            {"concertation_id": "m.new_id"},
        )
    resident = conn.execute(
        "SELECT id FROM accounts_user WHERE NOT is_staff ORDER BY id LIMIT 1"
    ).fetchone()[0]
    clone(
        conn,
        "accounts_user",
        f"accounts_user s, generate_series(0, {size.epci * RESIDENTS}) n WHERE s.id = {resident}",
        {
            "email": f"CASE WHEN n = 0 THEN '{HEAVY_EMAIL}' ELSE 'bench-' || n || '@example.org' END",
            "pseudonym": "'Habitant·e ' || n",
            "last_login": "NULL",
        },
    )
    conn.execute(
        f"""
        CREATE TEMP TABLE bench_resident AS
          SELECT substring(email FROM 'bench-(\\d+)@')::int - 1 AS n, id FROM accounts_user
          WHERE email LIKE 'bench-%%@example.org' AND email <> '{HEAVY_EMAIL}';
        CREATE UNIQUE INDEX ON bench_resident (n);
        """
    )
    heavy = conn.execute(
        "SELECT id FROM accounts_user WHERE email = %s", (HEAVY_EMAIL,)
    ).fetchone()[0]
    conn.execute(
        f"""
        INSERT INTO contributions_contribution (
            concertation_id, title, text, geom, author_id, channel, status, answer,
            answer_service, answered_at, votes_for, votes_against, rating_sum, rating_count,
            moderation_reason, status_before_moderation, assigned_service, created_at,
            updated_at)
        SELECT d.concertation_id,
               'Idée n° ' || n || CASE WHEN n % 4 = 0 THEN ' : vélo & piétons <ici>' ELSE '' END,
               'Texte d''une contribution « générée »' || E'\\n' || 'sur deux lignes, n° ' || n,
               CASE WHEN n % 15 = 0 THEN ST_MakeLine(d.geom, ST_Translate(d.geom, 180, 90))
                    WHEN n % 21 = 0 THEN ST_Buffer(d.geom, 60, 3)
                    ELSE d.geom END,
               CASE WHEN d.e = 0 AND n <= {HEAVY_CONTRIBUTIONS} THEN {heavy}
                    WHEN n % 11 = 0 THEN NULL
                    ELSE (SELECT id FROM bench_resident r
                          WHERE r.n = d.e * {RESIDENTS} + d.n % {RESIDENTS}) END,
               (ARRAY['online', 'online', 'workshop', 'paper'])[1 + n % 4],
               CASE WHEN n % 10 = 0 THEN 'retained'
                    WHEN n % 17 = 0 THEN 'hidden'
                    WHEN n % 13 = 0 THEN 'under_study'
                    WHEN n % 23 = 0 THEN 'not_retained'
                    WHEN n % 29 = 0 THEN 'partly_retained'
                    ELSE 'published' END,
               CASE WHEN n % 10 = 0 OR n % 13 = 0 OR n % 23 = 0 OR n % 29 = 0
                    THEN 'Réponse : retenu « en partie » & à l''étude' ELSE '' END,
               CASE WHEN n % 10 = 0 OR n % 23 = 0 OR n % 29 = 0
                    THEN 'Service urbanisme' ELSE '' END,
               CASE WHEN n % 10 = 0 OR n % 23 = 0 OR n % 29 = 0
                    THEN timestamp '2026-01-01' + n * interval '1 minute' END,
               n % 7, n % 3, n % 5 - 2, n % 4,
               CASE WHEN n % 10 <> 0 AND n % 17 = 0
                    THEN 'Hors charte : propos <injurieux> & répétés' ELSE '' END,
               '', '',
               timestamp '2025-01-01' + n * interval '10 minutes',
               timestamp '2025-01-01' + n * interval '10 minutes'
        FROM (SELECT m.e, m.new_id AS concertation_id, (dump).geom, (dump).path[1] AS n
              FROM m_concertation m
              JOIN concertations_concertation c ON c.id = m.new_id,
              LATERAL ST_Dump(ST_GeneratePoints(ST_Buffer(c.perimeter, -200), {CONTRIBUTIONS},
                                                m.e + 1)) dump) d;
        ANALYZE contributions_contribution;
        ANALYZE m_concertation;
        ANALYZE m_document;
        ANALYZE bench_resident;
        INSERT INTO contributions_contribution_themes (contribution_id, theme_id)
        SELECT c.id, t.id FROM contributions_contribution c
        JOIN (SELECT id, concertation_id,
                     row_number() OVER (PARTITION BY concertation_id ORDER BY id) AS k
              FROM concertations_theme) t
          ON t.concertation_id = c.concertation_id
         AND (t.k = 1 + c.id % 3 OR (c.id % 5 = 0 AND t.k = 1 + (c.id + 1) % 3))
        WHERE c.concertation_id IN (SELECT new_id FROM m_concertation);
        """
    )
    # The spatial links one EPCI at a time: constants the planner sees through, each
    # contribution against its own territory's zones and communes by the GiST indexes.
    for e, concertation_id, version_id in conn.execute(
        "SELECT m.e, m.new_id, d.new_version FROM m_concertation m JOIN m_document d USING (e)"
        " ORDER BY m.e"
    ).fetchall():
        conn.execute(
            f"""
            UPDATE contributions_contribution c SET commune_id = m.id
            FROM territories_commune m
            WHERE c.concertation_id = {concertation_id}
              AND m.territory_id = (SELECT territory_id FROM m_concertation WHERE e = {e})
              AND ST_Intersects(m.geom, ST_PointOnSurface(c.geom));
            INSERT INTO contributions_contributionzone (contribution_id, zone_id, share)
            SELECT id, zone_id, round((1.0 / count(*) OVER (PARTITION BY id))::numeric, 4)
            FROM (SELECT c.id, z.id AS zone_id FROM contributions_contribution c
                  CROSS JOIN LATERAL (SELECT z.id FROM plui_documents_zone z
                                      WHERE ST_Intersects(z.geom, c.geom)
                                        AND z.version_id = {version_id}) z
                  WHERE c.concertation_id = {concertation_id}) links;
            """
        )
    # One vote per contribution on average, by residents of the same EPCI.
    conn.execute(
        f"""
        INSERT INTO engagement_vote (content_type_id, object_id, value, voter_id, counted,
                                     created_at)
        SELECT (SELECT id FROM django_content_type
                WHERE app_label = 'contributions' AND model = 'contribution'),
               c.id, CASE WHEN (c.id + k) % 4 = 0 THEN -1 ELSE 1 END, r.id, true, c.created_at
        FROM contributions_contribution c
        JOIN m_concertation m ON m.new_id = c.concertation_id
        CROSS JOIN LATERAL generate_series(1, (c.id % 3)::int) k
        JOIN bench_resident r ON r.n = m.e * {RESIDENTS} + (c.id * 7 + k * 131) % {RESIDENTS};
        ANALYZE engagement_vote;
        """
    )
    # Signalements: the demo's categories per EPCI, reports over its outline.
    conn.execute(
        f"""
        CREATE TEMP TABLE m_category AS
          SELECT m.e, m.territory_id, s.id AS old_id, s.parent_id AS old_parent,
                 {sequence("signalements_category")} AS new_id
          FROM m_territory m0 JOIN m_concertation m ON m.e = m0.e
          JOIN signalements_category s ON s.territory_id = m0.old_id;
        """
    )
    clone(
        conn,
        "signalements_category",
        "m_category m JOIN signalements_category s ON s.id = m.old_id",
        {
            "id": "m.new_id",
            "parent_id": "(SELECT p.new_id FROM m_category p"
            " WHERE p.e = m.e AND p.old_id = m.old_parent)",
            "territory_id": "m.territory_id",
        },
        with_id=True,
    )
    conn.execute(
        """
        CREATE TEMP TABLE leaf_category AS
          SELECT e, new_id, row_number() OVER (PARTITION BY e ORDER BY new_id) - 1 AS k,
                 count(*) OVER (PARTITION BY e) AS n
          FROM m_category WHERE old_parent IS NOT NULL;
        """
    )
    report = conn.execute("SELECT min(id) FROM signalements_report").fetchone()[0]
    clone(
        conn,
        "signalements_report",
        f"""(SELECT m.e, m.territory_id, (dump).geom AS point, (dump).path[1] AS n
             FROM m_concertation m JOIN territories_territory t ON t.id = m.territory_id,
             LATERAL ST_Dump(ST_GeneratePoints(ST_Buffer(t.geom, -200), {REPORTS},
                                               1000 + m.e)) dump) d
            JOIN signalements_report s ON s.id = {report}
            JOIN leaf_category l ON l.e = d.e AND l.k = d.n % l.n""",
        {
            "geom": "d.point",
            "address": "'Rue du banc d''essai, n° ' || d.n",
            "description": "'Signalement n° ' || d.n || ' : nid-de-poule « profond »'",
            "state": "(ARRAY['open', 'open', 'acknowledged', 'in_progress', 'fixed', 'not_fixed'])"
            "[1 + d.n % 6]",
            "token": "md5('report-' || d.e || '-' || d.n)::uuid",
            "created_at": "timestamp '2025-01-01' + d.n * interval '30 minutes'",
            "updated_at": "timestamp '2025-01-01' + d.n * interval '30 minutes'",
            "author_id": "(SELECT id FROM bench_resident r"
            f" WHERE r.n = d.e * {RESIDENTS} + d.n % {RESIDENTS})",
            "category_id": "l.new_id",
            "commune_id": "NULL",
            "duplicate_of_id": "NULL",
            "service_id": "NULL",
            "territory_id": "d.territory_id",
            "api_client_id": "NULL",
        },
    )
    conn.execute(
        """
        UPDATE signalements_report c SET commune_id = m.id
        FROM territories_commune m
        WHERE c.territory_id IN (SELECT new_id FROM m_territory)
          AND ST_Intersects(m.geom, c.geom);
        """
    )


def main() -> None:
    for name in sys.argv[1:] or ["x1"]:
        result = ensure(SIZES[name])
        print(name, result)


if __name__ == "__main__":
    main()
