# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results of the map questions per zone LIBELLE, as a view (models/zone_results.py)."""

import django.contrib.gis.db.models.fields
from django.db import migrations, models

# As selectors/results/maps.py counts: submitted responses only; a drawn marker once in
# each LIBELLE of the questionnaire's current zoning it touches, a picked zone in its own.
ZONE_RESULTS_VIEW = """
CREATE VIEW surveys_zoneresult AS
WITH marked AS (
    SELECT a.question_id, z.libelle, f.id AS feature_id, f.marker_choice_id
      FROM surveys_answerfeature f
      JOIN surveys_answer a ON a.id = f.answer_id
      JOIN surveys_response r ON r.id = a.response_id AND r.status = 'submitted'
      JOIN surveys_questionnaire qn ON qn.id = r.questionnaire_id
      JOIN plui_documents_urbandocument d ON d.id = qn.zoning_document_id
      -- The zones a marker touches, found by the zones' GiST index whatever the
      -- statistics say: a fresh import's made the planner cross every response with every
      -- zone, or test each zone of the version ("+ 0" keeps the version's index out).
     CROSS JOIN LATERAL (
           SELECT DISTINCT z.libelle FROM plui_documents_zone z
            WHERE ST_Intersects(z.geom, f.geom) AND z.version_id + 0 = d.current_version_id
       ) z
     WHERE f.geom IS NOT NULL
    UNION
    SELECT a.question_id, z.libelle, f.id, f.marker_choice_id
      FROM surveys_answerfeature f
      JOIN surveys_answer a ON a.id = f.answer_id
      JOIN surveys_response r ON r.id = a.response_id AND r.status = 'submitted'
      JOIN plui_documents_zone z ON z.id = f.zone_id
),
counted AS (
    SELECT question_id, libelle, marker_choice_id, count(*) AS n
      FROM marked GROUP BY question_id, libelle, marker_choice_id
)
SELECT ('x' || substr(md5(c.question_id::text || '/' || c.libelle), 1, 13))::bit(52)::bigint
           AS id,
       p.questionnaire_id,
       c.question_id,
       c.libelle,
       sum(c.n)::integer AS markers,
       jsonb_object_agg(coalesce(c.marker_choice_id::text, ''), c.n) AS by_choice,
       qn.closes_at,
       (SELECT ST_Multi(ST_Union(z.geom))
          FROM plui_documents_zone z
          JOIN plui_documents_urbandocument d ON z.version_id = d.current_version_id
         WHERE d.id = qn.zoning_document_id AND z.libelle = c.libelle) AS geom
  FROM counted c
  JOIN surveys_question q ON q.id = c.question_id
  JOIN surveys_surveypage p ON p.id = q.page_id
  JOIN surveys_questionnaire qn ON qn.id = p.questionnaire_id
 GROUP BY c.question_id, c.libelle, p.questionnaire_id, qn.closes_at, qn.zoning_document_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_questionnaires_and_responses"),
        ("plui_documents", "0003_overlay_version_in_base"),
    ]

    operations = [
        migrations.RunSQL(ZONE_RESULTS_VIEW, "DROP VIEW surveys_zoneresult"),
        migrations.CreateModel(
            name="ZoneResult",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("libelle", models.CharField(max_length=12, verbose_name="LIBELLE")),
                ("markers", models.IntegerField(verbose_name="markers")),
                ("by_choice", models.JSONField(verbose_name="markers per follow-up choice")),
                ("closes_at", models.DateTimeField(verbose_name="closes at")),
                (
                    "geom",
                    django.contrib.gis.db.models.fields.MultiPolygonField(
                        null=True, srid=2154, verbose_name="zone"
                    ),
                ),
            ],
            options={
                "verbose_name": "result per zone",
                "verbose_name_plural": "results per zone",
                "db_table": "surveys_zoneresult",
                "ordering": ["id"],
                "managed": False,
            },
        ),
    ]
