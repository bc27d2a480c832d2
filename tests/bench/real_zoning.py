# SPDX-License-Identifier: AGPL-3.0-or-later
"""About 20,000 zones of real shape for the low-zoom bench, in the test database.

The demo PLUi (CC Les Trois Provinces, 221 zones) is imported, then laid out as the scale
bench lays it (tests.bench.scale.build): scaled by one half, 4 × 4 copies side by side
make an EPCI of 3,536 zones; six EPCI, each its own PLUi document and current version,
side by side (3 × 2). 21,216 zones, nothing random. The demo's own document is then
no longer current, so that only the copies are drawn.
"""

from pathlib import Path

from django.db import connection

from plui_documents.models import DocumentVersion, UrbanDocument
from plui_documents.services import plui_import
from tests.bench.scale.build import COPIES, COPY_STEP, DEMO_ORIGIN, EPCI_STEP, clone

ROOT = Path(__file__).resolve().parents[2]
DEMO_PLUI = ROOT / "demo" / "plui" / "241800432_PLUi_20200128"
EPCI = 6
EPCI_COLUMNS = 3


def generate_real_zoning() -> tuple[list[DocumentVersion], tuple[float, float, float, float]]:
    """The six EPCI's current versions (not generalised yet) and their EPSG:3857 bbox."""
    demo, _report = plui_import(path=DEMO_PLUI, analyse=False)
    UrbanDocument.objects.filter(pk=demo.document_id).update(current_version=None)
    versions = []
    for e in range(EPCI):
        document = UrbanDocument.objects.create(
            idurba=f"2{e:08d}_PLUI_20240101", typedoc="PLUI", siren=f"2{e:08d}"
        )
        versions.append(
            DocumentVersion.objects.create(
                document=document,
                number=1,
                cnig_version=demo.cnig_version,
                source_name="bench",
                perimeter="MULTIPOLYGON EMPTY",
            )
        )
        document.current_version = versions[-1]
        document.save(update_fields=["current_version"])
    (ex, ey), (cx, cy) = EPCI_STEP, COPY_STEP
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE g_copy AS SELECT v.n - 1 AS e, c, v.version_id"
            " FROM generate_series(0, %s) c,"
            " unnest(%s::bigint[]) WITH ORDINALITY AS v(version_id, n)",
            [COPIES**2 - 1, [version.pk for version in versions]],
        )
        clone(
            cursor,
            "plui_documents_zone",
            f"g_copy g JOIN plui_documents_zone s ON s.version_id = {demo.pk}",
            {
                "version_id": "g.version_id",
                "source_fid": "g.c * 100000 + s.source_fid",
                "geom": f"""ST_Translate(ST_Scale(ST_Translate(s.geom, -{DEMO_ORIGIN[0]},
                                                              -{DEMO_ORIGIN[1]}), 0.5, 0.5),
                            {DEMO_ORIGIN[0]} + (g.e % {EPCI_COLUMNS}) * {ex} + (g.c % {COPIES}) * {cx},
                            {DEMO_ORIGIN[1]} + (g.e / {EPCI_COLUMNS}) * {ey} + (g.c / {COPIES}) * {cy})""",
            },
        )
        cursor.execute("DROP TABLE g_copy; ANALYZE plui_documents_zone")
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM"
            " (SELECT ST_Extent(geom_3857)::geometry AS e FROM plui_documents_zone"
            " WHERE version_id = ANY(%s)) AS extent",
            [[version.pk for version in versions]],
        )
        return versions, cursor.fetchone()
