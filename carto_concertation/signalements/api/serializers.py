# SPDX-License-Identifier: AGPL-3.0-or-later
"""The shapes of the residents' API. A report's public shape never holds its reporter
(account, name or e-mail address) nor the agent of an update: the public reads the
service."""

import json

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from carto_concertation.core.serializers import GeoJsonGeometryField

from ..models import Category, CategoryQuestion, Report, ReportPhoto, ReportUpdate
from ..selectors import COORDINATE_PRECISION


class SignalementQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CategoryQuestion
        fields = ("code", "label", "kind", "choices", "required")


class SignalementCategorySerializer(serializers.ModelSerializer):
    """A category with its extra questions and its sub-categories (the same shape)."""

    questions = SignalementQuestionSerializer(many=True, read_only=True)
    children = serializers.SerializerMethodField(
        help_text=_("The sub-categories, each of the same shape. File on one without any.")
    )

    class Meta:
        model = Category
        fields = ("id", "code", "name", "description", "keywords", "questions", "children")

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_children(self, category: Category) -> list[dict]:
        return [self.to_representation(child) for child in category.tree_children]


class SignalementCategoryQuerySerializer(serializers.Serializer):
    territory = serializers.RegexField(
        r"^\d{9}$", help_text=_("The territory's SIREN (nine digits).")
    )


class SignalementPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ReportPhoto
        fields = ("id", "url", "width", "height")

    def get_url(self, photo: ReportPhoto) -> str:
        path = reverse("api:signalements-photo", kwargs={"pk": photo.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class SignalementUpdateSerializer(serializers.ModelSerializer):
    """A step of the history as the public reads it: what changed, the public text and
    the service, never the agent."""

    service = serializers.SlugRelatedField(
        source="service_after", slug_field="name", read_only=True, allow_null=True
    )

    class Meta:
        model = ReportUpdate
        fields = ("kind", "state_before", "state_after", "text", "service", "created_at")


REPORT_FIELDS = (
    "id",
    "category",
    "category_name",
    "state",
    "state_label",
    "state_reason",
    "duplicate_of",
    "address",
    "commune",
    "description",
    "answers",
    "photos",
    "service",
    "is_public",
    "follower_count",
    "created_at",
    "confirmed_at",
    "updated_at",
)


class SignalementSerializer(GeoFeatureModelSerializer):
    """A report as a GeoJSON feature (WGS84)."""

    geom = GeoJsonGeometryField(
        source="geom_geojson", read_only=True, precision=COORDINATE_PRECISION
    )
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    commune = serializers.SlugRelatedField(slug_field="insee", read_only=True, allow_null=True)
    service = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    photos = SignalementPhotoSerializer(many=True, read_only=True)
    follower_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Report
        geo_field = "geom"
        fields = REPORT_FIELDS


class SignalementDetailSerializer(SignalementSerializer):
    """A report with its history."""

    history = SignalementUpdateSerializer(source="updates", many=True, read_only=True)

    class Meta(SignalementSerializer.Meta):
        fields = (*REPORT_FIELDS, "history")


class SignalementNearbySerializer(SignalementSerializer):
    distance_m = serializers.SerializerMethodField()

    class Meta(SignalementSerializer.Meta):
        fields = (*REPORT_FIELDS, "distance_m")

    def get_distance_m(self, report: Report) -> float:
        return round(report.distance.m, 1)


class SignalementNearbyQuerySerializer(serializers.Serializer):
    category = serializers.IntegerField(min_value=1, help_text=_("The category's id."))
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    latitude = serializers.FloatField(min_value=-90, max_value=90)


class AnswersField(serializers.JSONField):
    """The answers by question code: a JSON object, or its text in a multipart form."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else {}
            except ValueError as exc:
                raise serializers.ValidationError(_("A JSON object of answers by code.")) from exc
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("A JSON object of answers by code."))
        return super().to_internal_value(data)


class TrueUnlessSentField(serializers.BooleanField):
    """A form leaves an unticked box out: left out here means the default (public)."""

    default_empty_html = empty


class SignalementInputSerializer(serializers.Serializer):
    territory = serializers.RegexField(
        r"^\d{9}$", help_text=_("The territory's SIREN (nine digits).")
    )
    category = serializers.CharField(
        max_length=60, help_text=_("The category's id, or its code in the territory.")
    )
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    # Kept as typed: no trimming (the service refuses a blank one).
    description = serializers.CharField(trim_whitespace=False, allow_blank=True)
    answers = AnswersField(required=False, default=dict)
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        help_text=_("Without an account: the address that receives the confirmation link."),
    )
    is_public = TrueUnlessSentField(required=False, default=True)
    # A field people never see: only robots fill it (see docs/signalements.md).
    honeypot = serializers.CharField(required=False, default="", allow_blank=True)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=_("Up to three photos (multipart/form-data): JPEG, PNG or WebP."),
    )


class SignalementFiledSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        allow_null=True,
        help_text=_("The report's id; null until a report filed with an address is confirmed."),
    )
    state = serializers.CharField()


class SignalementConfirmInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200)
