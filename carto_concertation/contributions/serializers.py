# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from carto_concertation.core.serializers import GeoJsonGeometryField
from carto_concertation.engagement.models import Comment, ModerationAction

from .datasets import IDEAS
from .models import Contribution, ContributionPhoto, ContributionZone


def hidden_placeholder(reason: str) -> str:
    """What stands in public in place of a hidden contribution or comment."""
    return gettext("Hidden by moderation: %(reason)s") % {"reason": reason}


class ContributionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=140)
    text = serializers.CharField(max_length=5000)
    themes = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    geometry = GeoJsonGeometryField(
        help_text=_(
            "GeoJSON geometry in WGS84: Point, LineString or Polygon (a JSON string in a"
            " multipart request)."
        )
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=_("Up to three photos (multipart/form-data): JPEG, PNG or WebP."),
    )


class ContributionUpdateSerializer(serializers.Serializer):
    """What its author may change; a field left out stays as it is."""

    title = serializers.CharField(max_length=140, required=False)
    text = serializers.CharField(max_length=5000, required=False)
    themes = serializers.ListField(child=serializers.IntegerField(), required=False)
    geometry = GeoJsonGeometryField(required=False)


class PhotoInputSerializer(serializers.Serializer):
    image = serializers.FileField(help_text=_("A JPEG, PNG or WebP photo."))


class ZoneShareOutputSerializer(serializers.ModelSerializer):
    libelle = serializers.CharField(source="zone.libelle")
    typezone = serializers.CharField(source="zone.typezone")

    class Meta:
        model = ContributionZone
        fields = ("libelle", "typezone", "share")


class PhotoOutputSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ContributionPhoto
        fields = ("id", "url", "width", "height")

    def get_url(self, obj: ContributionPhoto) -> str:
        path = reverse("api:contribution-photo", kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ContributionOutputSerializer(GeoFeatureModelSerializer):
    # Only the pseudonym leaves the server, never an e-mail address or a name.
    author = serializers.SerializerMethodField()
    geom = GeoJsonGeometryField(source="geom_wgs84", read_only=True, precision=7, allow_null=True)
    # A hidden idea's placeholder may be longer than a title (the OpenAPI schema says so).
    title = serializers.CharField(read_only=True)
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    commune = serializers.SlugRelatedField(slug_field="insee", read_only=True, allow_null=True)
    zones = ZoneShareOutputSerializer(source="zone_links", many=True, read_only=True)
    photos = PhotoOutputSerializer(many=True, read_only=True)
    comment_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Contribution
        geo_field = "geom"
        fields = IDEAS.pick(
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
            "photos",
            "votes_for",
            "votes_against",
            "rating_sum",
            "rating_count",
            "comment_count",
            "moderation_reason",
            "merged_into",
            "created_at",
        )

    def get_author(self, obj: Contribution) -> str | None:
        if obj.status == Contribution.Status.HIDDEN:
            return None
        return obj.author.pseudonym if obj.author_id else gettext("Anonymous participant")

    def to_representation(self, instance: Contribution) -> dict:
        feature = super().to_representation(instance)
        if instance.status == Contribution.Status.HIDDEN:
            # The placeholder: where the idea was and the public reason, nothing of it.
            feature["geometry"] = None
            feature["properties"].update(
                title=hidden_placeholder(instance.moderation_reason),
                text="",
                themes=[],
                answer="",
                answer_service="",
                answered_at=None,
                commune=None,
                zones=[],
                photos=[],
            )
        return feature


class SimilarOutputSerializer(GeoFeatureModelSerializer):
    geom = GeoJsonGeometryField(source="geom_wgs84", read_only=True, precision=7)
    similarity = serializers.FloatField(read_only=True)
    distance_m = serializers.SerializerMethodField()

    class Meta:
        model = Contribution
        geo_field = "geom"
        fields = ("id", "title", "text", "status", "votes_for", "similarity", "distance_m")

    def get_distance_m(self, obj: Contribution) -> float:
        return round(obj.distance.m, 1)


class SimilarQuerySerializer(serializers.Serializer):
    """A draft idea: where (a GeoJSON geometry, or lon and lat) and what it says."""

    geometry = GeoJsonGeometryField(required=False)
    lon = serializers.FloatField(required=False, min_value=-180, max_value=180)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    title = serializers.CharField(required=False, default="", allow_blank=True, max_length=140)
    text = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)

    def validate(self, attrs: dict) -> dict:
        if attrs.get("geometry") is None and (attrs.get("lon") is None or attrs.get("lat") is None):
            raise serializers.ValidationError({"geometry": _("Give a geometry, or lon and lat.")})
        if not (attrs["title"] + attrs["text"]).strip():
            raise serializers.ValidationError({"title": _("Give a title or a text to compare.")})
        return attrs


class CommentInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    parent = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("The comment this one replies to.")
    )


class CommentOutputSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ("id", "parent", "author", "text", "status", "created_at")

    def get_author(self, obj: Comment) -> str | None:
        if obj.status == Comment.Status.HIDDEN:
            return None
        return obj.author.pseudonym if obj.author_id else gettext("Anonymous participant")

    def get_text(self, obj: Comment) -> str:
        if obj.status == Comment.Status.HIDDEN:
            return hidden_placeholder(obj.moderation_reason)
        return obj.text


class CommentThreadOutputSerializer(CommentOutputSerializer):
    replies = CommentOutputSerializer(many=True, read_only=True)

    class Meta(CommentOutputSerializer.Meta):
        fields = (*CommentOutputSerializer.Meta.fields, "replies")


class ReportInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class ModerationInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[("approve", _("approve")), ("hide", _("hide")), ("restore", _("restore"))]
    )
    reason = serializers.CharField(
        max_length=1000,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("Public; required to hide."),
    )


class MergeInputSerializer(serializers.Serializer):
    into = serializers.IntegerField(help_text=_("The idea to keep."))
    reason = serializers.CharField(max_length=1000, required=False, default="", allow_blank=True)


class AnswerInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            (s.value, s.label) for s in (Contribution.Status.UNDER_STUDY, *Contribution.CLOSING)
        ]
    )
    answer = serializers.CharField(required=False, default="", allow_blank=True)
    answer_service = serializers.CharField(
        max_length=120,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("The service that answers (never a person's name)."),
    )


class ModerationActionOutputSerializer(serializers.ModelSerializer):
    """A line of the public log: the role acted in, never the person."""

    # The idea decided on (engagement's target) and the one a merged idea joined.
    # (Output only; described as the foreign keys they were, so the schema is unchanged.)
    contribution = serializers.IntegerField(source="object_id", allow_null=True, required=False)
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True, required=False)

    class Meta:
        model = ModerationAction
        fields = (
            "id",
            "action",
            "role",
            "reason",
            "contribution",
            "comment",
            "merged_into",
            "created_at",
        )


class ReportOutputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class QueuedContributionSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    reports = ReportOutputSerializer(source="open_reports", many=True)

    class Meta:
        model = Contribution
        fields = ("id", "title", "text", "author", "status", "created_at", "reports")

    def get_author(self, obj) -> str | None:
        return obj.author.pseudonym if obj.author_id else None


class QueuedCommentSerializer(QueuedContributionSerializer):
    contribution = serializers.IntegerField(source="object_id")

    class Meta:
        model = Comment
        fields = (
            "id",
            "contribution",
            "parent",
            "text",
            "author",
            "status",
            "created_at",
            "reports",
        )


class ModerationQueueSerializer(serializers.Serializer):
    contributions = QueuedContributionSerializer(many=True)
    comments = QueuedCommentSerializer(many=True)
