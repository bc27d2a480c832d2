# SPDX-License-Identifier: AGPL-3.0-or-later
"""Communes and EPCI in the layer registry."""

from django.utils.translation import gettext_lazy as _

from layers.registry import LayerDefinition, register

ADMIN_EXPRESS = "IGN – ADMIN EXPRESS, INSEE COG"

register(
    LayerDefinition(
        name="communes",
        title=_("Communes"),
        kind="vector",
        geometry_type="MultiPolygon",
        fields=("insee", "name", "population"),
        minzoom=6,
        maxzoom=16,
        attribution=ADMIN_EXPRESS,
        table="territories_commune",
        tileset="communes",
    )
)
register(
    LayerDefinition(
        name="territories",
        title=_("Intercommunalités (EPCI)"),
        kind="vector",
        geometry_type="MultiPolygon",
        fields=("siren", "name"),
        minzoom=4,
        maxzoom=14,
        attribution=ADMIN_EXPRESS,
        table="territories_territory",
        tileset="territories",
    )
)
