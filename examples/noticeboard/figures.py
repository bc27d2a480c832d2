# SPDX-License-Identifier: AGPL-3.0-or-later
"""The notices counted per commune and per PLU/PLUi zone of a space
(core.modules.FigureDeclaration)."""

from django.db import connection

from carto_concertation.core.modules import MapSpace


def _counts(sql: str, params: list) -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def notices_per_commune(space: MapSpace) -> dict[int, int]:
    return _counts(
        """SELECT c.id, count(*) FROM noticeboard_notice n
             JOIN territories_commune c
               ON c.territory_id = %s AND ST_Contains(c.geom, n.location)
            WHERE n.space_id = %s GROUP BY c.id""",
        [space.territory_id, space.pk],
    )


def notices_per_zone(space: MapSpace) -> dict[int, int]:
    if space.zoning_document_id is None:
        return {}
    return _counts(
        """SELECT z.id, count(*) FROM noticeboard_notice n
             JOIN plui_documents_zone z ON ST_Contains(z.geom, n.location)
            WHERE n.space_id = %s
              AND z.version_id = (SELECT current_version_id FROM plui_documents_urbandocument
                                   WHERE id = %s)
            GROUP BY z.id""",
        [space.pk, space.zoning_document_id],
    )
