# SPDX-License-Identifier: AGPL-3.0-or-later
"""The zoning layers in the registry: what of the current PLU/PLUi versions is public."""

from django.utils.translation import gettext_lazy as _

from layers.registry import LayerDefinition, register

from .signals import ZONING_TILESET

CURRENT = "version_id IN (SELECT current_version_id FROM plui_documents_urbandocument)"
GPU_ATTRIBUTION = "Géoportail de l'Urbanisme (standard CNIG)"

register(
    LayerDefinition(
        name="zones",
        title=_("PLU/PLUi zones"),
        kind="vector",
        geometry_type="MultiPolygon",
        fields=("libelle", "libelong", "typezone", "destdomi", "nomfic", "urlfic"),
        minzoom=8,
        maxzoom=18,
        attribution=GPU_ATTRIBUTION,
        table="plui_documents_zone",
        where=CURRENT,
        tileset=ZONING_TILESET,
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
