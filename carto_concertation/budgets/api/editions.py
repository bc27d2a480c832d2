# SPDX-License-Identifier: AGPL-3.0-or-later
"""The agents' API for running an edition, under /api/v1/budgets/editions/: create one,
change its settings (and publish it), its calendar, its districts (a file, the communes,
their envelopes), decide on and merge projects, put the admissible ones to the vote.
Bad input: 400 naming the field; not a planner of the territory: 403; nothing written."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.territories.models import Territory

from ..models import District, Edition, EditionPhase, Project
from ..services.analysis import REASON_MAX, edition_ballot_open, project_decide, projects_merge
from ..services.editions import (
    MAX_EUROS,
    SETTINGS_FIELDS,
    district_envelopes_set,
    districts_from_communes,
    districts_import,
    edition_create,
    edition_phases_set,
    edition_publish,
    edition_update,
)

MAX_NUMBER = 2**31 - 1


class BudgetDistrictOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "name", "code", "envelope"]


class BudgetPhaseInputSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EditionPhase.Kind.choices)
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    class Meta:
        model = EditionPhase
        fields = ["kind", "starts_at", "ends_at"]
        # The service checks the calendar as a whole (edition_phases_set).
        validators: list = []


class BudgetEditionAgentSerializer(serializers.ModelSerializer):
    """An edition as its agents see it: every setting, its districts and phases."""

    territory = serializers.IntegerField(source="territory_id", read_only=True)
    districts = BudgetDistrictOutputSerializer(many=True, read_only=True)
    phases = BudgetPhaseInputSerializer(many=True, read_only=True)

    class Meta:
        model = Edition
        fields = ["slug", "territory", *SETTINGS_FIELDS, "is_published", "districts", "phases"]
        read_only_fields = fields


class BudgetEditionSettingsSerializer(serializers.ModelSerializer):
    is_published = serializers.BooleanField(
        required=False, help_text=_("true publishes the edition (it is not unpublished here).")
    )

    class Meta:
        model = Edition
        fields = [*SETTINGS_FIELDS, "is_published"]
        extra_kwargs = {"slug": {"read_only": True}}


class BudgetEditionCreateSerializer(BudgetEditionSettingsSerializer):
    territory = serializers.PrimaryKeyRelatedField(queryset=Territory.objects.all())

    class Meta(BudgetEditionSettingsSerializer.Meta):
        fields = ["territory", *SETTINGS_FIELDS]


class BudgetPhasesInputSerializer(serializers.Serializer):
    phases = BudgetPhaseInputSerializer(many=True)


class BudgetDistrictsInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        required=False,
        help_text=_("GeoJSON, GeoPackage or zipped Shapefile, in any coordinate system."),
    )
    name_field = serializers.CharField(required=False, max_length=100, default="nom")
    from_communes = serializers.BooleanField(
        required=False, default=False, help_text=_("One district per commune of the territory.")
    )

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("file")) == bool(attrs["from_communes"]):
            raise serializers.ValidationError(
                {"file": _("Send a file, or from_communes: true (one of the two).")}
            )
        return attrs


class BudgetEnvelopeSerializer(serializers.Serializer):
    district = serializers.IntegerField(min_value=1, max_value=MAX_NUMBER)
    envelope = serializers.IntegerField(min_value=0, max_value=MAX_EUROS)


class BudgetEnvelopesInputSerializer(serializers.Serializer):
    envelopes = BudgetEnvelopeSerializer(many=True)


class BudgetDecideInputSerializer(serializers.Serializer):
    admissible = serializers.BooleanField()
    reason = serializers.CharField(
        max_length=REASON_MAX, required=False, allow_blank=True, default=""
    )
    revised_cost = serializers.IntegerField(
        min_value=1, max_value=MAX_EUROS, required=False, allow_null=True
    )


class BudgetMergeInputSerializer(serializers.Serializer):
    keep = serializers.IntegerField(
        min_value=1, max_value=MAX_NUMBER, help_text=_("The number of the project kept.")
    )
    merged = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_NUMBER),
        min_length=1,
        max_length=100,
    )
    reason = serializers.CharField(max_length=REASON_MAX)


class BudgetProjectDecisionSerializer(serializers.ModelSerializer):
    merged_into = serializers.IntegerField(source="merged_into.number", default=None)

    class Meta:
        model = Project
        fields = ["number", "title", "status", "analysis_reason", "revised_cost", "merged_into"]


class BudgetBallotOpenOutputSerializer(serializers.Serializer):
    on_ballot = serializers.IntegerField()


def _valid(serializer_class, request: Request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _edition(request: Request, slug: str) -> Edition:
    """An unpublished edition does not exist for those who do not run it (404)."""
    edition = get_object_or_404(Edition.objects.select_related("territory"), slug=slug)
    if not edition.is_published and not request.user.has_perm("budgets.run", edition):
        get_object_or_404(Edition.objects.none())
    return edition


def _project(edition: Edition, number: int) -> Project:
    return get_object_or_404(Project, edition=edition, number=number)


def _agent_view(edition: Edition) -> Response:
    edition = Edition.objects.prefetch_related("districts", "phases").get(pk=edition.pk)
    return Response(BudgetEditionAgentSerializer(edition).data)


class _AgentWrite(APIView):
    permission_classes = [IsAuthenticated]


class EditionCreateMixin:
    """POST on ``budgets/editions``. The projects part lists the editions (GET) at the
    same path: the integrator mixes this into that view (or keeps EditionCreateApi)."""

    @extend_schema(
        operation_id="budgets_edition_create",
        request=BudgetEditionCreateSerializer,
        responses={201: BudgetEditionAgentSerializer},
    )
    def post(self, request: Request) -> Response:
        """A new, unpublished edition of a territory the person plans."""
        data = _valid(BudgetEditionCreateSerializer, request)
        data.pop("is_published", None)
        edition = edition_create(territory=data.pop("territory"), user=request.user, **data)
        response = _agent_view(edition)
        response.status_code = status.HTTP_201_CREATED
        return response


class EditionCreateApi(EditionCreateMixin, _AgentWrite):
    pass


class EditionSettingsApi(_AgentWrite):
    @extend_schema(
        request=BudgetEditionSettingsSerializer, responses={200: BudgetEditionAgentSerializer}
    )
    def patch(self, request: Request, slug: str) -> Response:
        """Change some settings; ``is_published: true`` publishes the edition after."""
        edition = _edition(request, slug)
        data = _valid(BudgetEditionSettingsSerializer, request, partial=True)
        publish = data.pop("is_published", False)
        if data or not publish:
            edition = edition_update(edition, user=request.user, **data)
        if publish:
            edition = edition_publish(edition, user=request.user)
        return _agent_view(edition)


class EditionPhasesApi(_AgentWrite):
    @extend_schema(
        request=BudgetPhasesInputSerializer, responses={200: BudgetEditionAgentSerializer}
    )
    def put(self, request: Request, slug: str) -> Response:
        """Replace the calendar: the five phases, in order, without overlap."""
        edition = _edition(request, slug)
        data = _valid(BudgetPhasesInputSerializer, request)
        edition_phases_set(edition, data["phases"], user=request.user)
        return _agent_view(edition)


class DistrictsApi(_AgentWrite):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request=BudgetDistrictsInputSerializer, responses={200: BudgetEditionAgentSerializer}
    )
    def post(self, request: Request, slug: str) -> Response:
        """Replace the districts: from a file (multipart) or from the territory's communes."""
        edition = _edition(request, slug)
        data = _valid(BudgetDistrictsInputSerializer, request)
        if data["from_communes"]:
            districts_from_communes(edition, user=request.user)
        else:
            districts_import(edition, data["file"], data["name_field"], user=request.user)
        return _agent_view(edition)

    @extend_schema(
        request=BudgetEnvelopesInputSerializer, responses={200: BudgetEditionAgentSerializer}
    )
    def patch(self, request: Request, slug: str) -> Response:
        """Share the envelope between the districts (every district, once)."""
        edition = _edition(request, slug)
        rows = _valid(BudgetEnvelopesInputSerializer, request)["envelopes"]
        envelopes = {row["district"]: row["envelope"] for row in rows}
        if len(envelopes) != len(rows):
            raise serializers.ValidationError({"envelopes": _("A district is given twice.")})
        district_envelopes_set(edition, envelopes, user=request.user)
        return _agent_view(edition)


class DecideApi(_AgentWrite):
    @extend_schema(
        request=BudgetDecideInputSerializer, responses={200: BudgetProjectDecisionSerializer}
    )
    def post(self, request: Request, slug: str, number: int) -> Response:
        """Declare the project admissible (maybe at a revised cost) or not (with a reason)."""
        edition = _edition(request, slug)
        project = _project(edition, number)
        data = _valid(BudgetDecideInputSerializer, request)
        project = project_decide(project, user=request.user, **data)
        return Response(BudgetProjectDecisionSerializer(project).data)


class MergeApi(_AgentWrite):
    @extend_schema(
        request=BudgetMergeInputSerializer, responses={200: BudgetProjectDecisionSerializer}
    )
    def post(self, request: Request, slug: str) -> Response:
        """Merge projects into the one kept: their supporters join it."""
        edition = _edition(request, slug)
        data = _valid(BudgetMergeInputSerializer, request)
        keep = _project(edition, data["keep"])
        merged = list(Project.objects.filter(edition=edition, number__in=data["merged"]))
        missing = sorted(set(data["merged"]) - {p.number for p in merged})
        if missing:
            raise serializers.ValidationError(
                {"merged": [_("No project no. %(number)s here.") % {"number": n} for n in missing]}
            )
        keep = projects_merge(keep=keep, merged=merged, user=request.user, reason=data["reason"])
        return Response(BudgetProjectDecisionSerializer(keep).data)


class BallotOpenApi(_AgentWrite):
    @extend_schema(request=None, responses={200: BudgetBallotOpenOutputSerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Put every admissible project to the vote."""
        edition = _edition(request, slug)
        count = edition_ballot_open(edition, user=request.user)
        return Response({"on_ballot": count})
