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

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from carto_concertation.engagement.models import Comment
from carto_concertation.engagement.selectors import target_type_id

from ..datasets import IDEAS
from ..models import Contribution
from ..selectors import PUBLIC_STATUSES

# What the map shows: published and answered contributions. The placeholders of hidden
# ones and the pointers of merged ones carry no idea of their own and are left out.
# A contribution's themes are its concertation's (services.py): said in the join, they
# are looked up among the concertation's few, not in a hash of every concertation's
# themes built for each row (the export's statement took 1,054 ms at ×10 of the scale
# bench, 806 at ×1; 796 and 757 since). Moments go out to the second: GDAL keeps seconds
# as a float32, and 40 µs before the next second read back as a million microseconds,
# which QGIS's reader (pyogrio) refused.
_PUBLIC_ROWS = """
SELECT c.id,
       c.title,
       c.text,
       ARRAY(
           SELECT t.name FROM contributions_contribution_themes ct
           JOIN concertations_theme t ON t.id = ct.theme_id
           WHERE ct.contribution_id = c.id AND t.concertation_id = c.concertation_id
           ORDER BY t.name
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
       (SELECT count(*) FROM engagement_comment cm
        WHERE cm.content_type_id = %(contribution_type)s AND cm.object_id = c.id
          AND cm.status = %(comment_status)s) AS comment_count,
       nullif(c.answer, '') AS answer,
       nullif(c.answer_service, '') AS answer_service,
       date_trunc('second', c.answered_at) AS answered_at,
       date_trunc('second', c.created_at) AS created_at,
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


@contextmanager
def whole_result_cursor() -> Iterator:
    """A server-side cursor (rows computed as they are fetched, in a transaction) planned
    for its whole result. By default PostgreSQL plans a cursor for its first tenth
    (``cursor_tuple_fraction``): for ``ORDER BY id`` it then walked the primary key over
    every contribution of the platform, keeping one concertation's (the export grew
    with the database: 105,000 rows read for 16,600 at ×1, ten times that at ×10)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        with connection.chunked_cursor() as cursor:
            yield cursor


# One value per column (themes and zones spelt out): CSV cells and GeoPackage fields.
# The text columns, by name, and how each is spelt.
_FLAT_TEXT = {
    "title": "title",
    "text": "text",
    "themes": "array_to_string(themes, ', ')",
    "status": "status",
    "channel": "channel",
    "commune_insee": "commune_insee",
    "commune_name": "commune_name",
    "zone_libelle": "zone_libelle",
    "zone_typezone": "zone_typezone",
    "zones": """(SELECT string_agg(
         format('%%s (%%s) %%s %%%%', z ->> 'libelle', z ->> 'typezone',
                round((z ->> 'share')::numeric * 100)), '; ')
     FROM jsonb_array_elements(zones) z)""",
    "answer": "answer",
    "answer_service": "answer_service",
}
_DATES = ("answered_at", "created_at")


def _iso_text(column: str) -> str:
    """A date column as the ISO 8601 text JSON writes, under its own name."""
    return f"to_json({column}) #>> '{{}}' AS {column.rpartition('.')[2]}"


# What a spreadsheet would take for a formula (=, +, -, @, and a tab or carriage return
# before them): such a cell is prefixed with a quote, as OWASP advises, so that Excel
# and LibreOffice show it as text instead of running it.
_FORMULA_START = r"^[-=+@\t\r]"


def _flat_columns(*, spreadsheet: bool) -> str:
    """The flat columns in ``ATTRIBUTES``' order. For a spreadsheet (the CSV), the text
    cells are neutralised and the dates ISO 8601 text; otherwise (the GeoPackage) the
    text is as written and the dates are dates."""

    def text(name: str) -> str:
        expression = _FLAT_TEXT[name]
        if spreadsheet:
            expression = (
                f"CASE WHEN {expression} ~ '{_FORMULA_START}' "
                f"THEN '''' || {expression} ELSE {expression} END"
            )
        return f"{expression} AS {name}"

    def date(name: str) -> str:
        return _iso_text(name) if spreadsheet else name

    columns = [
        text(name) if name in _FLAT_TEXT else date(name) if name in _DATES else name
        for name in ATTRIBUTES
    ]
    return ",\n    ".join(columns)


ATTRIBUTES = IDEAS.pick(
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
)


def _params(concertation_id: int) -> dict:
    return {
        "concertation": concertation_id,
        "statuses": [str(status) for status in PUBLIC_STATUSES],
        "comment_status": str(Comment.Status.PUBLISHED),
        "contribution_type": target_type_id(Contribution),
    }


def export_geojson_features_sql(*, concertation_id: int) -> tuple[str, dict]:
    """One RFC 7946 Feature (text) per row, all attributes as its properties: WGS84,
    exterior rings counterclockwise, 7 decimals (about 1 cm)."""
    attributes = ", ".join(
        _iso_text(f"p.{column}") if column in _DATES else f"p.{column}" for column in ATTRIBUTES
    )
    sql = f"""
        SELECT ST_AsGeoJSON(r.*, 'geom', 7)
        FROM (
            SELECT {attributes}, ST_ForcePolygonCCW(ST_Transform(p.geom, 4326)) AS geom
            FROM ({_PUBLIC_ROWS}) p
        ) r
        ORDER BY r.id
    """
    return sql, _params(concertation_id)


# The CSV's columns after ATTRIBUTES: its CRS, then the geometry (GDAL's CSV driver
# reads a column named WKT as the geometry).
CSV_CRS = "EPSG:4326"


def export_csv_sql(*, concertation_id: int) -> str:
    """The flat SELECT with the geometry as WKT in WGS84, parameters written in (COPY
    takes no bind parameters; only an id and our own status names go in)."""
    sql = f"""
        SELECT {_flat_columns(spreadsheet=True)},
               '{CSV_CRS}' AS crs, ST_AsText(ST_Transform(geom, 4326), 7) AS wkt
        FROM ({_PUBLIC_ROWS}) p ORDER BY id
    """
    return connection.ops.compose_sql(sql, _params(concertation_id))


# The GeoPackage's contribution layers, one per geometry type (a shapefile, and many
# tools, hold one type per layer): name, OGR geometry type, PostGIS dimension.
GEOMETRY_LAYERS = (
    ("contributions_points", "POINT", 0),
    ("contributions_lines", "LINESTRING", 1),
    ("contributions_polygons", "POLYGON", 2),
)


def export_layer_sql(*, concertation_id: int, srid: int, dimension: int | None = None) -> str:
    """The flat SELECT of the contributions of one dimension (0 points, 1 lines,
    2 polygons; every one without) with their geometry column ``geom`` in ``srid``,
    for ogr2ogr."""
    where = "" if dimension is None else "WHERE ST_Dimension(geom) = %(dimension)s"
    sql = f"""
        SELECT {_flat_columns(spreadsheet=False)}, ST_Transform(geom, %(srid)s) AS geom
        FROM ({_PUBLIC_ROWS}) p {where} ORDER BY id
    """
    params = {**_params(concertation_id), "srid": srid, "dimension": dimension}
    return connection.ops.compose_sql(sql, params)


def export_zoning_sql(*, version_id: int, srid: int) -> str:
    """The zones of a PLU/PLUi version with the CNIG fields a reader needs, for ogr2ogr."""
    sql = """
        SELECT libelle AS "LIBELLE", libelong AS "LIBELONG", typezone AS "TYPEZONE",
               destdomi AS "DESTDOMI", insee AS "INSEE", idurba AS "IDURBA",
               ST_Transform(geom, %(srid)s) AS geom
        FROM plui_documents_zone WHERE version_id = %(version)s ORDER BY libelle, id
    """
    return connection.ops.compose_sql(sql, {"version": version_id, "srid": srid})


# The CSV's column types as GDAL's CSV driver reads them from a .csvt beside it.
_CSV_TYPE = {
    "id": "Integer",
    "zone_share": "Real",
    "rating_mean": "Real",
    "votes_for": "Integer",
    "votes_against": "Integer",
    "rating_sum": "Integer",
    "rating_count": "Integer",
    "comment_count": "Integer",
    "answered_at": "DateTime",
    "created_at": "DateTime",
}
CSV_TYPES = [*(_CSV_TYPE.get(column, "String") for column in ATTRIBUTES), "String", "WKT"]


def export_spreadsheet_sql(*, concertation_id: int) -> tuple[str, dict]:
    """The CSV's rows (``ATTRIBUTES`` then the WKT in WGS84, text cells neutralised,
    dates as ISO 8601 text) for the spreadsheets, with bind parameters."""
    sql = f"""
        SELECT {_flat_columns(spreadsheet=True)},
               ST_AsText(ST_Transform(geom, 4326), 7) AS wkt
        FROM ({_PUBLIC_ROWS}) p ORDER BY id
    """
    return sql, _params(concertation_id)
