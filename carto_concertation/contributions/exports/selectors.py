# SPDX-License-Identifier: AGPL-3.0-or-later
# The SQL is assembled from constants of this module; values go in as parameters.
# ruff: noqa: S608
"""The SQL of the open-data exports: the public columns of a concertation's
contributions and its zoning, nothing else.

The rows are built by PostgreSQL (GeoJSON by ST_AsGeoJSON, CSV by COPY, the GeoPackage
by ogr2ogr reading the same SELECT), so one place says what leaves the server. The
author, their e-mail, pseudonym or IP address are not in any of these SELECTs; a
moderation reason neither (it may quote the author).
"""

from django.db import connection

from ..models import Comment
from ..selectors import PUBLIC_STATUSES

# What the map shows: published and answered contributions. The placeholders of hidden
# ones and the pointers of merged ones carry no idea of their own and are left out.
_PUBLIC_ROWS = """
SELECT c.id,
       c.title,
       c.text,
       ARRAY(
           SELECT t.name FROM contributions_contribution_themes ct
           JOIN concertations_theme t ON t.id = ct.theme_id
           WHERE ct.contribution_id = c.id ORDER BY t.name
       ) AS themes,
       c.status,
       c.channel,
       co.insee AS commune_insee,
       co.name AS commune_name,
       mz.libelle AS zone_libelle,
       mz.typezone AS zone_typezone,
       round(mz.share::numeric, 3) AS zone_share,
       coalesce((
           SELECT jsonb_agg(jsonb_build_object(
                      'libelle', z.libelle, 'typezone', z.typezone,
                      'share', round(cz.share::numeric, 3))
                  ORDER BY cz.share DESC, z.libelle)
           FROM contributions_contributionzone cz
           JOIN plui_documents_zone z ON z.id = cz.zone_id
           WHERE cz.contribution_id = c.id
       ), '[]'::jsonb) AS zones,
       c.votes_for,
       c.votes_against,
       c.rating_sum,
       c.rating_count,
       CASE WHEN c.rating_count > 0
            THEN round(c.rating_sum::numeric / c.rating_count, 2) END AS rating_mean,
       (SELECT count(*) FROM contributions_comment cm
        WHERE cm.contribution_id = c.id AND cm.status = %(comment_status)s) AS comment_count,
       nullif(c.answer, '') AS answer,
       nullif(c.answer_service, '') AS answer_service,
       to_json(c.answered_at) #>> '{}' AS answered_at,
       to_json(c.created_at) #>> '{}' AS created_at,
       c.geom
FROM contributions_contribution c
LEFT JOIN territories_commune co ON co.id = c.commune_id
LEFT JOIN LATERAL (
    SELECT z.libelle, z.typezone, cz.share
    FROM contributions_contributionzone cz JOIN plui_documents_zone z ON z.id = cz.zone_id
    WHERE cz.contribution_id = c.id
    ORDER BY cz.share DESC, z.libelle
    LIMIT 1
) mz ON true
WHERE c.concertation_id = %(concertation)s AND c.status = ANY(%(statuses)s)
"""

# One text per column (themes and zones spelt out): CSV cells and GeoPackage fields.
_FLAT_COLUMNS = """
    id, title, text, array_to_string(themes, ', ') AS themes, status, channel,
    commune_insee, commune_name, zone_libelle, zone_typezone, zone_share,
    (SELECT string_agg(
         format('%%s (%%s) %%s %%%%', z ->> 'libelle', z ->> 'typezone',
                round((z ->> 'share')::numeric * 100)), '; ')
     FROM jsonb_array_elements(zones) z) AS zones,
    votes_for, votes_against, rating_sum, rating_count, rating_mean, comment_count,
    answer, answer_service, answered_at, created_at
"""


ATTRIBUTES = [
    "id",
    "title",
    "text",
    "themes",
    "status",
    "channel",
    "commune_insee",
    "commune_name",
    "zone_libelle",
    "zone_typezone",
    "zone_share",
    "zones",
    "votes_for",
    "votes_against",
    "rating_sum",
    "rating_count",
    "rating_mean",
    "comment_count",
    "answer",
    "answer_service",
    "answered_at",
    "created_at",
]


def _params(concertation_id: int) -> dict:
    return {
        "concertation": concertation_id,
        "statuses": [str(status) for status in PUBLIC_STATUSES],
        "comment_status": str(Comment.Status.PUBLISHED),
    }


def export_geojson_features_sql(*, concertation_id: int) -> tuple[str, dict]:
    """One RFC 7946 Feature (text) per row, all attributes as its properties: WGS84,
    exterior rings counterclockwise, 7 decimals (about 1 cm)."""
    attributes = ", ".join(f"p.{column}" for column in ATTRIBUTES)
    sql = f"""
        SELECT ST_AsGeoJSON(r.*, 'geom', 7)
        FROM (
            SELECT {attributes}, ST_ForcePolygonCCW(ST_Transform(p.geom, 4326)) AS geom
            FROM ({_PUBLIC_ROWS}) p
        ) r
        ORDER BY r.id
    """
    return sql, _params(concertation_id)


def export_csv_sql(*, concertation_id: int) -> str:
    """The flat SELECT with the geometry as WKT in WGS84, parameters written in (COPY
    takes no bind parameters; only an id and our own status names go in)."""
    sql = f"""
        SELECT {_FLAT_COLUMNS}, ST_AsText(ST_Transform(geom, 4326), 7) AS wkt
        FROM ({_PUBLIC_ROWS}) p ORDER BY id
    """
    return connection.ops.compose_sql(sql, _params(concertation_id))


def export_layer_sql(*, concertation_id: int, srid: int) -> str:
    """The flat SELECT with its geometry column ``geom`` in ``srid``, for ogr2ogr."""
    sql = f"""
        SELECT {_FLAT_COLUMNS}, ST_Transform(geom, %(srid)s) AS geom
        FROM ({_PUBLIC_ROWS}) p ORDER BY id
    """
    return connection.ops.compose_sql(sql, {**_params(concertation_id), "srid": srid})


def export_zoning_sql(*, version_id: int, srid: int) -> str:
    """The zones of a PLU/PLUi version with the CNIG fields a reader needs, for ogr2ogr."""
    sql = """
        SELECT libelle AS "LIBELLE", libelong AS "LIBELONG", typezone AS "TYPEZONE",
               destdomi AS "DESTDOMI", insee AS "INSEE", idurba AS "IDURBA",
               ST_Transform(geom, %(srid)s) AS geom
        FROM plui_documents_zone WHERE version_id = %(version)s ORDER BY libelle, id
    """
    return connection.ops.compose_sql(sql, {"version": version_id, "srid": srid})
