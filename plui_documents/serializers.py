# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from . import cnig
from .models import DocumentVersion, Information, Prescription, RegulationLink, UrbanDocument, Zone


class LookupInputSerializer(serializers.Serializer):
    lon = serializers.FloatField(
        min_value=-180, max_value=180, help_text=_("Longitude, WGS84 (EPSG:4326).")
    )
    lat = serializers.FloatField(
        min_value=-90, max_value=90, help_text=_("Latitude, WGS84 (EPSG:4326).")
    )


class SearchInputSerializer(serializers.Serializer):
    q = serializers.CharField(
        min_length=2, max_length=200, help_text=_("Words to find in the règlement.")
    )
    idurba = serializers.CharField(required=False, max_length=30)


class VersionOutputSerializer(serializers.ModelSerializer):
    idurba = serializers.CharField(source="document.idurba")
    typedoc = serializers.CharField(source="document.typedoc")

    class Meta:
        model = DocumentVersion
        fields = ("idurba", "typedoc", "number", "cnig_version", "etat", "datappro", "imported_at")


class ZoneOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zone
        fields = cnig.MODEL_FIELDS["zone"]


class PrescriptionOutputSerializer(serializers.ModelSerializer):
    type_label = serializers.SerializerMethodField()

    class Meta:
        model = Prescription
        fields = ("kind", "libelle", "typepsc", "stypepsc", "type_label", "txt", "nomfic", "urlfic")

    def get_type_label(self, obj: Prescription) -> str:
        return cnig.prescription_labels().get(obj.typepsc, "")


class InformationOutputSerializer(serializers.ModelSerializer):
    type_label = serializers.SerializerMethodField()

    class Meta:
        model = Information
        fields = ("kind", "libelle", "typeinf", "stypeinf", "type_label", "txt", "nomfic", "urlfic")

    def get_type_label(self, obj: Information) -> str:
        return cnig.information_labels().get(obj.typeinf, "")


def piece_url(request, piece_id: int, page: int | None = None) -> str:
    url = request.build_absolute_uri(reverse("api:plui-piece-file", args=[piece_id]))
    return f"{url}#page={page}" if page else url


class RegulationLinkOutputSerializer(serializers.ModelSerializer):
    document = serializers.CharField(source="piece.filename")
    url = serializers.SerializerMethodField()

    class Meta:
        model = RegulationLink
        fields = ("document", "page_start", "page_end", "method", "url")

    def get_url(self, obj: RegulationLink) -> str:
        return piece_url(self.context["request"], obj.piece_id, obj.page_start)


class ZoningAtPointOutputSerializer(serializers.Serializer):
    zone = ZoneOutputSerializer()
    document = VersionOutputSerializer(source="zone.version")
    prescriptions = PrescriptionOutputSerializer(many=True)
    informations = InformationOutputSerializer(many=True)
    reglement = RegulationLinkOutputSerializer(many=True, source="regulation_links")


class SearchResultOutputSerializer(serializers.Serializer):
    idurba = serializers.CharField(source="piece.version.document.idurba")
    document = serializers.CharField(source="piece.filename")
    page = serializers.IntegerField(source="number")
    headline = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return piece_url(self.context["request"], obj.piece_id, obj.number)


class DocumentOutputSerializer(serializers.ModelSerializer):
    current_version = VersionOutputSerializer(read_only=True)
    territory = serializers.SlugRelatedField(slug_field="siren", read_only=True)
    versions = serializers.SerializerMethodField()

    class Meta:
        model = UrbanDocument
        fields = ("idurba", "typedoc", "siren", "insee", "territory", "current_version", "versions")

    def get_versions(self, obj: UrbanDocument) -> list[int]:
        return [version.number for version in obj.versions.all()]
