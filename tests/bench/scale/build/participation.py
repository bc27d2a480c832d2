# SPDX-License-Identifier: AGPL-3.0-or-later
# ruff: noqa: S608 -- the SQL is built from this package's constants and ids it read back.
"""Each participating EPCI's concertation, residents, contributions (their zones and
communes linked), votes and signalements."""

import psycopg

from .db import clone, sequence
from .sizes import CONTRIBUTIONS, HEAVY_CONTRIBUTIONS, HEAVY_EMAIL, REPORTS, RESIDENTS, Size


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
