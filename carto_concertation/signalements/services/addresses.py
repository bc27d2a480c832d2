# SPDX-License-Identifier: AGPL-3.0-or-later
"""A report's address, from our own data only (never an outside geocoder): the name of
the nearest street of the context layers the planners uploaded (a line layer with a
street-name attribute among its public fields), within SIGNALEMENTS_STREET_DISTANCE
metres, then the commune's name."""

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D

from carto_concertation.territories.models import Commune, Territory
from layers.models import ContextFeature, ContextLayer, LayerStatus

ADDRESS_MAX = 250


def street_name_at(*, territory: Territory, point: Point) -> str:
    """The nearest street's name within the distance, in the territory, or ""."""
    wanted = {name.lower() for name in settings.SIGNALEMENTS_STREET_NAME_FIELDS}
    # Only a public attribute may name the street: the address is published.
    fields_of = {
        layer.pk: [field for field in layer.fields if field.lower() in wanted]
        for layer in ContextLayer.objects.filter(
            status=LayerStatus.READY, geometry_type__icontains="line"
        )
    }
    fields_of = {pk: fields for pk, fields in fields_of.items() if fields}
    if not fields_of:
        return ""
    nearby = (
        ContextFeature.objects.filter(
            layer_id__in=fields_of,
            geom__dwithin=(point, D(m=settings.SIGNALEMENTS_STREET_DISTANCE)),
            geom__intersects=territory.geom,
        )
        .order_by(Distance("geom", point), "layer__title", "pk")
        .only("layer_id", "properties")
    )
    for feature in nearby[:20]:
        for field in fields_of[feature.layer_id]:
            name = feature.properties.get(field)
            if isinstance(name, str) and name.strip():
                return " ".join(name.split())
    return ""


def address_at(*, territory: Territory, commune: Commune | None, point: Point) -> str:
    """ "<street>, <commune>" where our data names a street near the point, else the
    commune's name (or nothing, outside every commune)."""
    street = street_name_at(territory=territory, point=point)
    place = commune.name if commune is not None else ""
    return ", ".join(part for part in (street, place) if part)[:ADDRESS_MAX]
