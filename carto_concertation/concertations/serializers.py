# SPDX-License-Identifier: AGPL-3.0-or-later
from django.utils import timezone
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from carto_concertation.core.geojson import FeatureSchema
from carto_concertation.core.modules import modules
from carto_concertation.core.serializers import GeoJsonGeometryField

from .models import Concertation, Phase, Theme
from .selectors import concertation_module_settings, contributions_are_open


class ThemeOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ("id", "name", "colour", "icon")


class PhaseOutputSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()

    class Meta:
        model = Phase
        fields = ("kind", "starts_at", "ends_at", "current")

    def get_current(self, obj: Phase) -> bool:
        return obj.is_current(timezone.now())


class ConcertationOutputSerializer(GeoFeatureModelSerializer):
    """A public concertation as a GeoJSON Feature: its perimeter in WGS84."""

    perimeter = GeoJsonGeometryField(source="perimeter_wgs84", read_only=True, precision=6)
    territory = serializers.SlugRelatedField(slug_field="siren", read_only=True)
    plui_document = serializers.SlugRelatedField(slug_field="idurba", read_only=True)
    themes = ThemeOutputSerializer(many=True, read_only=True)
    phases = PhaseOutputSerializer(many=True, read_only=True)
    contributions_open = serializers.SerializerMethodField()

    class Meta:
        model = Concertation
        geo_field = "perimeter"
        id_field = "slug"
        fields = (
            "slug",
            "title",
            "description",
            "charter",
            "territory",
            "status",
            "plui_document",
            "themes",
            "phases",
            "contributions_open",
            "created_at",
        )

    def get_contributions_open(self, obj: Concertation) -> bool:
        return contributions_are_open(concertation=obj)

    def to_representation(self, instance: Concertation):
        """The space's fields, and after its status what its modules add (the ideas'
        accepted geometries, moderation, votes, distance: ``space_settings``)."""
        feature = super().to_representation(instance)
        feature["properties"] = _after_status(
            feature["properties"], concertation_module_settings(instance)
        )
        return feature


def _after_status(properties: dict, added: dict) -> dict:
    keys = list(properties)
    at = keys.index("status") + 1
    return {
        **{key: properties[key] for key in keys[:at]},
        **added,
        **{key: properties[key] for key in keys[at:] if key not in added},
    }


class ConcertationOutputSchema(FeatureSchema):
    """The OpenAPI schema of a concertation: the space's fields and, after its status,
    those its modules may add (``space_settings_schema`` of every registered module)."""

    target_class = ConcertationOutputSerializer
    match_subclasses = False
    priority = 2  # before core.geojson's FeatureSchema, which it extends

    def map_serializer(self, auto_schema, direction):
        schema = super().map_serializer(auto_schema, direction)
        space = schema["properties"]["properties"]
        added, required = {}, []
        for manifest in modules():
            if manifest.space_settings_schema is not None:
                part = auto_schema._map_serializer(
                    manifest.space_settings_schema(), direction, bypass_extensions=True
                )
                added.update(part["properties"])
                required += part.get("required", [])
        space["properties"] = _after_status(space["properties"], added)
        if direction == "response":  # every member is sent (core.geojson.FeatureSchema)
            space["required"] = list(space["properties"])
        elif required:
            space["required"] = [*space.get("required", []), *required]
        return schema
