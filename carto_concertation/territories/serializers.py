# SPDX-License-Identifier: AGPL-3.0-or-later
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from carto_concertation.core.serializers import GeoJsonGeometryField

from .models import Commune, Territory

# The geometry comes from the selectors' geom_wgs84 annotation (transformed by PostGIS);
# it keeps the model field's name so that the OpenAPI schema knows its type.
# 1e-6 degree is about 10 cm: enough for boundaries, a third of the bytes of full precision.
COORDINATE_PRECISION = 6


class TerritoryOutputSerializer(GeoFeatureModelSerializer):
    geom = GeoJsonGeometryField(source="geom_wgs84", read_only=True, precision=COORDINATE_PRECISION)

    class Meta:
        model = Territory
        geo_field = "geom"
        fields = ("id", "siren", "name")


class CommuneOutputSerializer(GeoFeatureModelSerializer):
    geom = GeoJsonGeometryField(source="geom_wgs84", read_only=True, precision=COORDINATE_PRECISION)
    territory = serializers.SlugRelatedField(slug_field="siren", read_only=True)

    class Meta:
        model = Commune
        geo_field = "geom"
        fields = ("id", "insee", "name", "population", "territory")
