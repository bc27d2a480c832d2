# SPDX-License-Identifier: AGPL-3.0-or-later
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from .models import Contribution, ContributionZone


class ContributionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=140)
    text = serializers.CharField(max_length=5000)
    themes = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    geometry = GeometryField(
        help_text=_("GeoJSON geometry in WGS84: Point, LineString or Polygon.")
    )


class ZoneShareOutputSerializer(serializers.ModelSerializer):
    libelle = serializers.CharField(source="zone.libelle")
    typezone = serializers.CharField(source="zone.typezone")

    class Meta:
        model = ContributionZone
        fields = ("libelle", "typezone", "share")


class ContributionOutputSerializer(GeoFeatureModelSerializer):
    # Only the pseudonym leaves the server, never an e-mail address or a name.
    author = serializers.SerializerMethodField()
    geom = GeometryField(source="geom_wgs84", read_only=True, precision=7)
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    commune = serializers.SlugRelatedField(slug_field="insee", read_only=True)
    zones = ZoneShareOutputSerializer(source="zone_links", many=True, read_only=True)

    class Meta:
        model = Contribution
        geo_field = "geom"
        fields = (
            "id",
            "title",
            "text",
            "themes",
            "author",
            "channel",
            "status",
            "answer",
            "answer_service",
            "answered_at",
            "commune",
            "zones",
            "created_at",
        )

    def get_author(self, obj: Contribution) -> str:
        return obj.author.pseudonym if obj.author_id else str(_("Anonymous participant"))
