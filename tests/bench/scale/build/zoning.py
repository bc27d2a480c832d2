# SPDX-License-Identifier: AGPL-3.0-or-later
# ruff: noqa: S608 -- the SQL is built from this package's constants and ids it read back.
"""The territories, their PLUi documents and their zones: the demo's rows copied and
placed on the grid (every size has them; ×100 has nothing else)."""

import psycopg

from .db import clone, sequence
from .participation import participation
from .sizes import COPIES, COPY_STEP, DEMO_ORIGIN, EPCI_STEP, GRID_COLUMNS, ORIGIN, Size


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
