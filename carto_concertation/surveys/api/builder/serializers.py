# SPDX-License-Identifier: AGPL-3.0-or-later
"""The builder API's serializers: the questionnaire as its organisers see it, and the
inputs (checked at the edge for types and sizes; the services check the rest)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from carto_concertation.territories.models import Territory

from ...models import Choice, Question, Questionnaire, SurveyPage

MAX_POSITION = 1000
MAX_VALUE = 10**9


class SurveyConditionSerializer(serializers.Serializer):
    """Shown only when the answer to ``question`` (its code) holds one of ``choices``
    (their ids)."""

    question = serializers.SlugField(max_length=40)
    choices = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1,
        max_length=100,
    )


class SurveyChoiceOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Choice
        fields = ["id", "position", "label"]
        read_only_fields = fields


def _condition(item) -> dict | None:
    if item.shown_if_question_id is None:
        return None
    return {
        "question": item.shown_if_question.code,
        "choices": sorted(c.pk for c in item.shown_if_choices.all()),
    }


class SurveyQuestionOutputSerializer(serializers.ModelSerializer):
    page = serializers.IntegerField(source="page_id")
    choices = serializers.SerializerMethodField()
    marker_choices = serializers.SerializerMethodField()
    shown_if = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = [
            "id",
            "page",
            "position",
            "code",
            "kind",
            "label",
            "help_text",
            "required",
            "with_other",
            "min_count",
            "max_count",
            "min_value",
            "max_value",
            "min_label",
            "max_label",
            "marker_comment",
            "marker_choice_label",
            "choices",
            "marker_choices",
            "shown_if",
        ]
        read_only_fields = fields

    def _choices(self, question: Question, for_marker: bool) -> list:
        rows = sorted(
            (c for c in question.choices.all() if c.for_marker == for_marker),
            key=lambda c: c.position,
        )
        return SurveyChoiceOutputSerializer(rows, many=True).data

    def get_choices(self, question: Question) -> list[dict]:
        return self._choices(question, False)

    def get_marker_choices(self, question: Question) -> list[dict]:
        return self._choices(question, True)

    def get_shown_if(self, question: Question) -> dict | None:
        return _condition(question)


class SurveyPageOutputSerializer(serializers.ModelSerializer):
    questions = SurveyQuestionOutputSerializer(many=True, read_only=True)
    shown_if = serializers.SerializerMethodField()

    class Meta:
        model = SurveyPage
        fields = ["id", "position", "title", "description", "shown_if", "questions"]
        read_only_fields = fields

    def get_shown_if(self, page: SurveyPage) -> dict | None:
        return _condition(page)


class SurveyBuildSerializer(serializers.ModelSerializer):
    """A questionnaire as its organisers see it: every setting, pages and questions."""

    territory = serializers.IntegerField(source="territory_id")
    concertation = serializers.IntegerField(source="concertation_id", allow_null=True)
    zoning_document = serializers.IntegerField(source="zoning_document_id", allow_null=True)
    has_answers = serializers.BooleanField()
    pages = SurveyPageOutputSerializer(many=True)

    class Meta:
        model = Questionnaire
        fields = [
            "slug",
            "title",
            "description",
            "territory",
            "concertation",
            "zoning_document",
            "opens_at",
            "closes_at",
            "respondents",
            "is_published",
            "results_published",
            "has_answers",
            "pages",
        ]
        read_only_fields = fields


class SurveyBuildSummarySerializer(serializers.ModelSerializer):
    territory = serializers.IntegerField(source="territory_id")
    response_count = serializers.IntegerField()

    class Meta:
        model = Questionnaire
        fields = [
            "slug",
            "title",
            "territory",
            "opens_at",
            "closes_at",
            "is_published",
            "response_count",
        ]
        read_only_fields = fields


class SurveySettingsInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=80, required=False)
    description = serializers.CharField(max_length=10000, allow_blank=True, required=False)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    respondents = serializers.ChoiceField(choices=Questionnaire.Respondents.choices, required=False)
    concertation = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, allow_null=True, required=False
    )
    zoning_document = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, allow_null=True, required=False
    )


class SurveyCreateInputSerializer(SurveySettingsInputSerializer):
    territory = serializers.PrimaryKeyRelatedField(
        queryset=Territory.objects.all(),
        required=False,
        help_text=_("Needed unless the questionnaire belongs to a concertation."),
    )


class SurveyPublicationInputSerializer(serializers.Serializer):
    is_published = serializers.BooleanField()


class SurveyPageInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    description = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    position = serializers.IntegerField(min_value=0, max_value=MAX_POSITION, required=False)
    shown_if = SurveyConditionSerializer(allow_null=True, required=False)


class SurveyQuestionInputSerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    position = serializers.IntegerField(min_value=0, max_value=MAX_POSITION, required=False)
    code = serializers.SlugField(max_length=40, required=False)
    kind = serializers.ChoiceField(choices=Question.Kind.choices, required=False)
    label = serializers.CharField(max_length=500, required=False)
    help_text = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    required = serializers.BooleanField(required=False)
    with_other = serializers.BooleanField(required=False)
    min_count = serializers.IntegerField(min_value=0, max_value=MAX_POSITION, required=False)
    max_count = serializers.IntegerField(min_value=0, max_value=MAX_POSITION, required=False)
    min_value = serializers.DecimalField(
        max_digits=14,
        decimal_places=4,
        min_value=-MAX_VALUE,
        max_value=MAX_VALUE,
        allow_null=True,
        required=False,
    )
    max_value = serializers.DecimalField(
        max_digits=14,
        decimal_places=4,
        min_value=-MAX_VALUE,
        max_value=MAX_VALUE,
        allow_null=True,
        required=False,
    )
    min_label = serializers.CharField(max_length=80, allow_blank=True, required=False)
    max_label = serializers.CharField(max_length=80, allow_blank=True, required=False)
    marker_comment = serializers.BooleanField(required=False)
    marker_choice_label = serializers.CharField(max_length=300, allow_blank=True, required=False)
    choices = serializers.ListField(
        child=serializers.CharField(max_length=300),
        max_length=100,
        required=False,
        help_text=_("On creation only: the choices' labels, in order."),
    )
    marker_choices = serializers.ListField(
        child=serializers.CharField(max_length=300),
        max_length=100,
        required=False,
        help_text=_("On creation only: the markers' follow-up choices, in order."),
    )
    shown_if = SurveyConditionSerializer(allow_null=True, required=False)


class SurveyChoiceInputSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=300, required=False)
    for_marker = serializers.BooleanField(required=False, default=False)
    position = serializers.IntegerField(min_value=0, max_value=MAX_POSITION, required=False)


class SurveyImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("A questionnaire's JSON file (at most 2 MB)."))
    territory = serializers.PrimaryKeyRelatedField(queryset=Territory.objects.all())
    zoning_document = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True
    )
