# SPDX-License-Identifier: AGPL-3.0-or-later

"""The step after loading: the synthetic zoning generalised for the tiles below zoom 12,
as an import generalises a plan (plui_documents.generalise).

The first EPCI's version goes through the product's own command (``generalise_zoning``);
every other EPCI is that one moved on the grid, so its rows are the first one's moved
the same way (in Lambert-93, where the grid is laid): the same result as generalising it,
without 566 runs of the coverage simplification for ×100. Its digest is in the stamp:
a change of plui_documents/generalise.py redoes this step alone on the kept databases.
"""

from .db import Timed, clone, connect, manage
from .sizes import EPCI_STEP, GRID_COLUMNS, Size, epci_idurba


def generalise(url: str, size: Size) -> None:
    manage(url, "generalise_zoning", epci_idurba(0), "--again")
    ex, ey = EPCI_STEP
    with connect(url, autocommit=True) as raw:
        conn = Timed(raw)
        conn.execute(
            """
            CREATE TEMP TABLE g_version AS
              SELECT substr(idurba, 2, 8)::int AS e, current_version_id AS version_id
              FROM plui_documents_urbandocument WHERE idurba ~ '^2\\d{8}_PLUI_20240101$';
            DELETE FROM plui_documents_generalisedzone
              WHERE version_id IN (SELECT version_id FROM g_version WHERE e > 0);
            """
        )
        first = conn.execute("SELECT version_id FROM g_version WHERE e = 0").fetchone()[0]
        clone(
            conn,
            "plui_documents_generalisedzone",
            f"""g_version v
                JOIN plui_documents_zone z ON z.version_id = v.version_id
                JOIN plui_documents_zone z0 ON z0.version_id = {first}
                 AND z0.source_fid = z.source_fid
                JOIN plui_documents_generalisedzone s ON s.zone_id = z0.id
                WHERE v.e > 0""",
            {
                "version_id": "v.version_id",
                "zone_id": "z.id",
                "geom_3857": f"""ST_Transform(ST_Translate(ST_Transform(s.geom_3857, 2154),
                                     (v.e % {GRID_COLUMNS}) * {ex}, (v.e / {GRID_COLUMNS}) * {ey}),
                                  3857)""",
            },
        )
        # As zoning_generalise marks the version it wrote (the first one's, by the command).
        conn.execute(
            "UPDATE plui_documents_documentversion SET generalised = true"
            " WHERE id IN (SELECT version_id FROM g_version WHERE e > 0)"
        )
        conn.execute("ANALYZE plui_documents_generalisedzone")
