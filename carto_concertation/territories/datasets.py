# SPDX-License-Identifier: AGPL-3.0-or-later
"""The territories' open dataset: the communes, their INSEE code and their territory
(opendata publishes it as an OGC API collection, open files and a DCAT entry)."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import DatasetDeclaration, FeatureSource, PublicField

from .models import Commune


def _communes():
    return Commune.objects.select_related("territory")


def _commune_properties(rows: Sequence[Commune], base_url: str) -> list[dict]:
    return [
        {
            "insee": commune.insee,
            "name": commune.name,
            "territory": commune.territory.name,
            "territory_siren": commune.territory.siren,
        }
        for commune in rows
    ]


COMMUNES = DatasetDeclaration(
    name="communes",
    title=_("Communes"),
    description=_(
        "The communes of the territories the platform serves: their name, INSEE code and"
        " outline, and the intercommunality (EPCI) they belong to."
    ),
    geometry_type="MultiPolygon",
    fields=(
        PublicField("insee", _("INSEE code")),
        PublicField("name", _("name")),
        PublicField("territory", _("territory (EPCI)")),
        PublicField("territory_siren", _("territory's SIREN")),
    ),
    features=FeatureSource(rows=_communes, properties=_commune_properties),
    tileset="communes",
    keywords=("communes", "limites administratives", "intercommunalité"),
)

# The territories' datasets, in the catalogue's order.
BACKBONE_DATASETS = (COMMUNES,)
