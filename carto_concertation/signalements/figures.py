# SPDX-License-Identifier: AGPL-3.0-or-later
"""The reports counted per commune and per PLU/PLUi zone of a space
(core.modules.FigureDeclaration): those the space's map shows — public, of its
territory, in its perimeter, a duplicate left to its original."""

from django.db import connection
from django.db.models import Count, QuerySet

from carto_concertation.core.modules import MapSpace

from .models import Report
from .selectors import reports_public
from .tiles import MAPPED_STATES


def reports_of_space(space: MapSpace) -> QuerySet[Report]:
    """The public reports a space's map shows (its tiles select the same ones)."""
    reports = reports_public().filter(territory_id=space.territory_id, state__in=MAPPED_STATES)
    return reports.filter(geom__intersects=space.perimeter) if space.perimeter else reports


def reports_per_commune(space: MapSpace) -> dict[int, int]:
    return dict(
        reports_of_space(space)
        .filter(commune__isnull=False)
        .order_by()
        .values("commune")
        .annotate(count=Count("pk"))
        .values_list("commune", "count")
    )


def reports_per_zone(space: MapSpace) -> dict[int, int]:
    """Over the current zones of the space's PLU/PLUi, read in SQL: the module names no
    model of plui_documents. A report on the line between two zones counts in each."""
    if space.zoning_document_id is None:
        return {}
    reports, params = reports_of_space(space).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT z.id, count(*) FROM signalements_report r
                  JOIN plui_documents_zone z ON ST_Intersects(z.geom, r.geom)
                 WHERE r.id IN ({reports})
                   AND z.version_id = (SELECT current_version_id FROM plui_documents_urbandocument
                                        WHERE id = %s)
                 GROUP BY z.id""",  # noqa: S608 (Django's own SQL, its values bound)
            [*params, space.zoning_document_id],
        )
        return dict(cursor.fetchall())
