# SPDX-License-Identifier: AGPL-3.0-or-later
"""Contributions generated in PostGIS for the list's benchmark, in every listed status.

Points over the demo concertation's perimeter, one in fifteen a line and one in
twenty-one an area; published, under study with an answer, retained, partly or not
retained, hidden with a reason and merged into an earlier idea; by 200 residents (one in
eleven without an author, as a paper contribution is); one or two themes, one or two
PLUi zones with their shares, photos, published and hidden comments, votes; text with
``&``, ``<``, quotes, accents and line breaks as people type them.
"""

from django.db import connection

from carto_concertation.accounts.models import User
from carto_concertation.concertations.models import Concertation
from tests.worlds import _open_concertation

RESIDENTS = 200


def generate(count: int) -> Concertation:
    concertation = _open_concertation(title=f"Banc d'essai de la liste {count}")
    first_user = User.objects.count()
    User.objects.bulk_create(
        User(email=f"bench-list-{first_user + n}@example.org", pseudonym=f"Habitant·e {n} & co")
        for n in range(RESIDENTS)
    )
    params = {
        "concertation": concertation.pk,
        "count": count,
        "version": concertation.plui_document.current_version_id,
        "residents": RESIDENTS,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMP TABLE bench_residents AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM accounts_user
            WHERE email LIKE 'bench-list-%%';
            INSERT INTO contributions_contribution (
                concertation_id, title, text, geom, author_id, channel, status, answer,
                answer_service, answered_at, votes_for, votes_against, rating_sum, rating_count,
                moderation_reason, status_before_moderation, created_at, updated_at)
            SELECT %(concertation)s,
                   'Idée n° ' || n || CASE WHEN n %% 4 = 0 THEN ' : vélo & piétons <ici>' ELSE '' END,
                   'Texte d''une contribution « générée »' || E'\n' || 'sur deux lignes, n° ' || n,
                   CASE WHEN n %% 15 = 0 THEN ST_MakeLine(d.geom, ST_Translate(d.geom, 180, 90))
                        WHEN n %% 21 = 0 THEN ST_Buffer(d.geom, 60, 3)
                        ELSE d.geom END,
                   (SELECT id FROM bench_residents r WHERE r.n = d.n %% %(residents)s AND d.n %% 11 <> 0),
                   (ARRAY['online', 'online', 'workshop', 'paper'])[1 + n %% 4],
                   CASE WHEN n %% 10 = 0 THEN 'retained'
                        WHEN n %% 17 = 0 THEN 'hidden'
                        WHEN n %% 13 = 0 THEN 'under_study'
                        WHEN n %% 23 = 0 THEN 'not_retained'
                        WHEN n %% 29 = 0 THEN 'partly_retained'
                        ELSE 'published' END,
                   CASE WHEN n %% 10 = 0 OR n %% 13 = 0 OR n %% 23 = 0 OR n %% 29 = 0
                        THEN 'Réponse : retenu « en partie » & à l''étude' ELSE '' END,
                   CASE WHEN n %% 10 = 0 OR n %% 23 = 0 OR n %% 29 = 0
                        THEN 'Service urbanisme' ELSE '' END,
                   CASE WHEN n %% 10 = 0 OR n %% 23 = 0 OR n %% 29 = 0
                        THEN now() - n * interval '1 second' END,
                   n %% 7, n %% 3, n %% 5 - 2, n %% 4,
                   CASE WHEN n %% 10 <> 0 AND n %% 17 = 0
                        THEN 'Hors charte : propos <injurieux> & répétés' ELSE '' END,
                   -- Marks the ideas merged below (a merge keeps the status it ends).
                   CASE WHEN n %% 10 <> 0 AND (n %% 17 = 0 OR n %% 19 = 0) THEN 'published'
                        ELSE '' END,
                   -- One in nine shares its minute with the idea before it: the orderings
                   -- break ties by id.
                   now() - (n - (n %% 9 = 0)::int) * interval '1 minute', now()
            FROM (SELECT (dump).geom, (dump).path[1] AS n
                  FROM (SELECT ST_Dump(ST_GeneratePoints(ST_Buffer(perimeter, -500), %(count)s, 1))
                               AS dump
                        FROM concertations_concertation WHERE id = %(concertation)s) g) d;
            -- A merged idea points to an earlier one of the same concertation.
            UPDATE contributions_contribution c
            SET status = 'merged',
                merged_into_id = (SELECT max(id) FROM contributions_contribution o
                                  WHERE o.concertation_id = c.concertation_id AND o.id < c.id)
            WHERE c.concertation_id = %(concertation)s AND c.status = 'published'
              AND c.status_before_moderation = 'published';
            UPDATE contributions_contribution c SET commune_id = m.id
            FROM territories_commune m
            WHERE c.concertation_id = %(concertation)s
              AND ST_Intersects(m.geom, ST_PointOnSurface(c.geom));
            INSERT INTO contributions_contributionzone (contribution_id, zone_id, share)
            SELECT id, zone_id, round((1.0 / count(*) OVER (PARTITION BY id))::numeric, 4)
            FROM (SELECT c.id, z.id AS zone_id FROM contributions_contribution c
                  JOIN plui_documents_zone z
                    ON z.version_id = %(version)s AND ST_Intersects(z.geom, c.geom)
                  WHERE c.concertation_id = %(concertation)s) links;
            INSERT INTO contributions_contribution_themes (contribution_id, theme_id)
            SELECT c.id, t.id FROM contributions_contribution c
            JOIN (SELECT id, row_number() OVER (ORDER BY id) AS k FROM concertations_theme
                  WHERE concertation_id = %(concertation)s) t
              ON t.k = 1 + c.id %% 3 OR (c.id %% 5 = 0 AND t.k = 1 + (c.id + 1) %% 3)
            WHERE c.concertation_id = %(concertation)s;
            INSERT INTO contributions_contributionphoto (contribution_id, image, width, height,
                created_at)
            SELECT c.id, 'contributions/bench/' || c.id || '-' || k || '.jpg', 1600, 1200 - k,
                   now()
            FROM contributions_contribution c, generate_series(1, 1 + c.id %% 2) k
            WHERE c.concertation_id = %(concertation)s AND c.id %% 7 = 0;
            INSERT INTO engagement_comment (content_type_id, object_id, author_id, text, status,
                moderation_reason, created_at)
            SELECT (SELECT id FROM django_content_type
                    WHERE app_label = 'contributions' AND model = 'contribution'),
                   c.id, NULL, 'Commentaire ' || k,
                   CASE WHEN k = 3 THEN 'hidden' WHEN k = 4 THEN 'submitted' ELSE 'published' END,
                   CASE WHEN k = 3 THEN 'Hors sujet' ELSE '' END, now()
            FROM contributions_contribution c, generate_series(1, c.id %% 6) k
            WHERE c.concertation_id = %(concertation)s AND c.id %% 2 = 0;
            DROP TABLE bench_residents;
            ANALYZE contributions_contribution;
            ANALYZE contributions_contributionzone;
            ANALYZE contributions_contribution_themes;
            ANALYZE contributions_contributionphoto;
            ANALYZE engagement_comment;
            """,
            params,
        )
    return concertation
