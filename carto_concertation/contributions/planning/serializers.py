# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input and output of the planners' APIs (dashboard, answer templates, bilans)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import AnswerTemplate
from .stats import HEATMAP_CELL_DEFAULT, HEATMAP_CELL_RANGE


class HeatmapQuerySerializer(serializers.Serializer):
    cell = serializers.IntegerField(
        min_value=HEATMAP_CELL_RANGE[0],
        max_value=HEATMAP_CELL_RANGE[1],
        default=HEATMAP_CELL_DEFAULT,
        help_text=_("Side of a cell in metres."),
    )
    full = serializers.BooleanField(
        default=False,
        help_text=_("Planners only: every cell, however few contributions it holds."),
    )


class AnswerTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnswerTemplate
        fields = ("id", "title", "status", "text", "service", "updated_at")
        read_only_fields = ("id", "updated_at")
        # The service checks the texts (and names the field); the model's own
        # constraints are not repeated here.
        validators = []
        extra_kwargs = {"text": {"required": False}, "service": {"required": False}}


class BulkAnswerInputSerializer(serializers.Serializer):
    template = serializers.IntegerField(help_text=_("Id of an answer template."))
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        help_text=_("Ids of the contributions to answer."),
    )


class BulkAnswerOutputSerializer(serializers.Serializer):
    answered = serializers.ListField(child=serializers.IntegerField())


class BilanInputSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=[("fr", "français"), ("en", "English")],
        default="fr",
        help_text=_("Language of the report (French by default)."),
    )


class ZoneCountSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        help_text=_("Id of the zone: its feature's id in the zoning tiles.")
    )
    libelle = serializers.CharField()
    typezone = serializers.CharField()
    count = serializers.IntegerField(help_text=_("Contributions touching the zone."))
    area_km2 = serializers.FloatField()
    density = serializers.FloatField(help_text=_("Contributions per km²."))


class HighestSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    density = serializers.FloatField()


class ZoneCountsSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        allow_null=True, help_text=_("The current version of the PLU/PLUi counted.")
    )
    zones = ZoneCountSerializer(many=True, help_text=_("Only the zones with contributions."))
    highest = HighestSerializer(help_text=_("The highest count and density (the legend's top)."))
