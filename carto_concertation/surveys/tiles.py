# SPDX-License-Identifier: AGPL-3.0-or-later
# The SQL below interpolates only code constants; every value from a request is a bound
# parameter.
# ruff: noqa: S608
"""The published results per zone as the module's site-wide vector tileset
(``consultations-portail``, core.modules.TilesetDeclaration.site_wide), which OGC API –
Tiles serves for the ``consultations-zones`` collection.

The consultation has no map of a space's: only this tileset, drawing the rows of the open
dataset (datasets.zone_results_open: a published questionnaire whose results are
published, where the module is on), each zone with the count of markers of one question.
Aggregates change with every submitted response, with a questionnaire's settings and with
the zoning under them: changes.py announces the whole tileset changed for each."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import SITE_WIDE
from layers.registry import LayerDefinition

from .datasets import MODULE, RESULTS_PER_ZONE, TILESET_PREFIX

SITE_TILESET = f"{TILESET_PREFIX}{SITE_WIDE}"
LAYER = "consultations-zones"
MINZOOM, MAXZOOM = 6, 16


def site_layers() -> list[LayerDefinition]:
    return [
        LayerDefinition(
            name=LAYER,
            title=_("Consultation results per PLU/PLUi zone"),
            kind="vector",
            geometry_type="MultiPolygon",
            fields=RESULTS_PER_ZONE.pick(
                "questionnaire",
                "questionnaire_title",
                "question",
                "question_label",
                "libelle",
                "document",
                "markers",
            ),
            numeric_fields=("markers",),
            minzoom=MINZOOM,
            maxzoom=MAXZOOM,
            attribution=str(_("Consultations of the residents")),
            licence=settings.OPEN_DATA_LICENCE,
            tileset=SITE_TILESET,
            source=f"""
                SELECT r.id, qn.slug AS questionnaire, qn.title AS questionnaire_title,
                       q.code AS question, q.label AS question_label, r.libelle,
                       d.idurba AS document, r.markers,
                       ST_Transform(r.geom, 3857) AS geom_3857
                  FROM surveys_zoneresult r
                  JOIN surveys_questionnaire qn ON qn.id = r.questionnaire_id
                  JOIN surveys_question q ON q.id = r.question_id
                  JOIN plui_documents_urbandocument d ON d.id = qn.zoning_document_id
                  JOIN territories_territory t ON t.id = qn.territory_id
                 WHERE qn.is_published AND qn.results_published AND r.geom IS NOT NULL
                   AND NOT (t.modules_off @> ARRAY['{MODULE}']::varchar[])""",
        )
    ]


def zone_result_tileset_layers(tileset: str) -> list[LayerDefinition]:
    """The tileset provider (core.modules.TilesetDeclaration.layers): the site-wide
    tileset's layer, none for any other name (no space has a consultation map)."""
    return site_layers() if tileset == SITE_TILESET else []
