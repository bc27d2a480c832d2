# SPDX-License-Identifier: AGPL-3.0-or-later
"""The zoning layers in the registry: what of the current PLU/PLUi versions is public."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from layers.registry import LayerDefinition, register

from .generalise import TILE_EXTENT, WEB_MERCATOR_WIDTH
from .models import GENERALISED_BANDS
from .signals import ZONE_FIELDS, ZONING_TILESET

CURRENT = "version_id IN (SELECT current_version_id FROM plui_documents_urbandocument)"
GPU_ATTRIBUTION = "Géoportail de l'Urbanisme (standard CNIG)"


def _small_scale_source(maxzoom: int) -> str:
    """The zones of a band with their geometry in the tile's coordinates (``tile_geom``):
    generalised (plui_documents.generalise), already on the zoom's pixel grid and
    oriented, only moved and scaled (not clipped: the zones are small beside a tile
    below zoom 12, and the clients clip); or, for a version not generalised yet, as they
    are, through ST_AsMVTGeom (the rows appear in the same transaction as the
    generalisation is written, so a tile never draws a zone twice)."""
    columns = ", ".join(ZONE_FIELDS)
    # The current versions not generalised (DocumentVersion.generalised, its partial
    # index): read among the few versions not generalised, not probed plan by plan.
    pending = (
        "SELECT v.id FROM plui_documents_documentversion v WHERE NOT v.generalised"
        " AND v.id IN (SELECT current_version_id FROM plui_documents_urbandocument)"
    )
    # Tile pixels per metre, and the tile's west and north edges, from z, x, y (typed:
    # asyncpg infers a parameter's type from its first use).
    scale = f"({TILE_EXTENT} * 2.0 ^ %(z)s::integer / {WEB_MERCATOR_WIDTH})"
    west = f"(%(x)s::integer * {TILE_EXTENT} / {scale} - {WEB_MERCATOR_WIDTH / 2})"
    north = f"({WEB_MERCATOR_WIDTH / 2} - %(y)s::integer * {TILE_EXTENT} / {scale})"
    # ST_SnapToGrid rounds back to the grid what float arithmetic moved by a hair.
    on_grid = f"ST_SnapToGrid(ST_TransScale(geom_3857, -{west}, -{north}, {scale}, -{scale}), 1)"
    as_is = (
        "ST_AsMVTGeom(ST_Simplify(geom_3857, %(tolerance)s, true),"
        f" ST_TileEnvelope(%(z)s, %(x)s, %(y)s)::box2d, {TILE_EXTENT}, {settings.TILE_BUFFER}, true)"
    )
    return (
        f"SELECT zone_id AS id, version_id, {columns}, geom_3857, {on_grid} AS tile_geom"  # noqa: S608 — the code's names, no input
        f" FROM plui_documents_generalisedzone WHERE maxzoom = {maxzoom}"
        " UNION ALL"
        f" SELECT id, version_id, {columns}, geom_3857, {as_is} FROM plui_documents_zone"
        f" WHERE version_id IN ({pending})"
        # Uncorrelated: a one-time filter, so that when every current version is
        # generalised (the usual case) the zones in the tile's box are not even looked
        # up (10 % of a z10 tile, measured).
        f" AND EXISTS ({pending})"
    )


register(
    LayerDefinition(
        name="zones",
        title=_("PLU/PLUi zones"),
        kind="vector",
        geometry_type="MultiPolygon",
        fields=ZONE_FIELDS,
        minzoom=8,
        maxzoom=18,
        attribution=GPU_ATTRIBUTION,
        table="plui_documents_zone",
        where=CURRENT,
        tileset=ZONING_TILESET,
        small_scale_sources=tuple(
            (maxzoom, _small_scale_source(maxzoom)) for maxzoom in GENERALISED_BANDS
        ),
    )
)
for family, code in (("prescriptions", "typepsc"), ("informations", "typeinf")):
    register(
        LayerDefinition(
            name=family,
            title=_("PLU/PLUi prescriptions")
            if family == "prescriptions"
            else _("PLU/PLUi informations"),
            kind="vector",
            geometry_type="Geometry",
            fields=("libelle", "kind", code, f"s{code}", "txt", "nomfic", "urlfic"),
            minzoom=12,
            maxzoom=18,
            attribution=GPU_ATTRIBUTION,
            table=f"plui_documents_{family[:-1]}",
            where=CURRENT,
            tileset=ZONING_TILESET,
        )
    )
