# SPDX-License-Identifier: AGPL-3.0-or-later
"""The public list of questionnaires as JSON (/api/v1/surveys/open), the twin of the page
/consultations/: the published questionnaires of territories where the module is on,
open first, then upcoming, then closed. Nothing of the organisers nor of the answers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.modules import space_public

from .. import links
from ..models import Questionnaire
from ..selectors.listing import State, questionnaire_state, questionnaires_listed


class SurveyListedSerializer(serializers.ModelSerializer):
    territory = serializers.CharField(source="territory.name", read_only=True)
    concertation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    state = serializers.SerializerMethodField()
    respondents_label = serializers.CharField(source="get_respondents_display", read_only=True)
    url = serializers.SerializerMethodField()
    results_url = serializers.SerializerMethodField()

    class Meta:
        model = Questionnaire
        fields = (
            "slug",
            "title",
            "description",
            "territory",
            "concertation",
            "opens_at",
            "closes_at",
            "state",
            "respondents",
            "respondents_label",
            "results_published",
            "url",
            "results_url",
        )
        read_only_fields = fields

    def get_state(self, questionnaire: Questionnaire) -> State:
        return questionnaire_state(questionnaire)

    def get_url(self, questionnaire: Questionnaire) -> str:
        return links.questionnaire_url(questionnaire.slug)

    def get_results_url(self, questionnaire: Questionnaire) -> str | None:
        if not questionnaire.results_published:
            return None
        return links.results_url(questionnaire.slug)


class SurveyListQuerySerializer(serializers.Serializer):
    concertation = serializers.SlugField(
        required=False,
        max_length=255,
        help_text=_("The slug of a public concertation: its questionnaires only (404 if none)."),
    )


class OpenQuestionnairesApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[SurveyListQuerySerializer], responses=SurveyListedSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        """The published questionnaires: open, upcoming and closed (``state``)."""
        query = SurveyListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        space = None
        slug = query.validated_data.get("concertation")
        if slug is not None:
            space = space_public(slug)
            if space is None:
                raise NotFound
        listing = questionnaires_listed(concertation_id=space.pk if space else None)
        return Response(SurveyListedSerializer(list(listing), many=True).data)
