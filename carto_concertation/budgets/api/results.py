# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results' API, under /api/v1/budgets/editions/<slug>/results: the published results
(public, with why each project won or lost), the agents' runs (GET, POST to compute one)
and their publication. A refusal is a 403 or a 400 naming the field; nothing is written."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.jobs import job_state
from carto_concertation.core.throttles import ScopedRateThrottle

from ..models import Edition, ResultRun
from ..selectors.results import projects_by_pk, published_runs, result_runs
from ..services.results import results_compute, results_publish
from ..views.results_text import RULE_LABELS, method_text, run_projects


class ResultProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    cost = serializers.IntegerField()
    votes = serializers.IntegerField()
    score = serializers.IntegerField()
    selected = serializers.BooleanField()
    step = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    explanation = serializers.CharField()


class ResultRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    district = serializers.DictField(allow_null=True)
    rule = serializers.CharField()
    rule_label = serializers.CharField()
    satisfaction = serializers.CharField()
    comparison = serializers.BooleanField()
    method = serializers.CharField()
    budget = serializers.IntegerField()
    ballots_counted = serializers.IntegerField()
    total_cost = serializers.IntegerField()
    computed_at = serializers.DateTimeField(allow_null=True)
    is_published = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)
    job = serializers.DictField(allow_null=True)
    projects = ResultProjectSerializer(many=True)


class EditionResultsSerializer(serializers.Serializer):
    edition = serializers.CharField()
    title = serializers.CharField()
    runs = ResultRunSerializer(many=True)


class ResultComputeInputSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=Edition.Rule.choices, required=False)
    satisfaction = serializers.ChoiceField(choices=Edition.Satisfaction.choices, required=False)
    comparison = serializers.BooleanField(required=False, allow_null=True, default=None)


class ResultPublishInputSerializer(serializers.Serializer):
    runs = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=200
    )


def run_data(run: ResultRun, projects: dict, *, with_job: bool = False) -> dict:
    return {
        "id": run.pk,
        "district": {"id": run.district_id, "name": run.district.name} if run.district else None,
        "rule": run.rule,
        "rule_label": str(RULE_LABELS.get(run.rule, run.rule)),
        "satisfaction": run.satisfaction,
        "comparison": run.mes_comparison,
        "method": method_text(run),
        "budget": run.budget,
        "ballots_counted": run.ballots_counted,
        "total_cost": run.total_cost,
        "computed_at": run.computed_at,
        "is_published": run.is_published,
        "published_at": run.published_at,
        "job": job_state(run.job) if with_job and run.job else None,
        "projects": [
            {key: value for key, value in row.items() if key != "project"}
            for row in run_projects(run, projects)
        ],
    }


def _results(edition: Edition, runs: list[ResultRun], *, with_job: bool = False) -> dict:
    projects = projects_by_pk(edition)
    data = {
        "edition": edition.slug,
        "title": edition.title,
        "runs": [run_data(run, projects, with_job=with_job) for run in runs],
    }
    return EditionResultsSerializer(data).data


def _edition_run_by(request: Request, slug: str) -> Edition:
    """The edition, for a person who runs it (a 403 otherwise, nothing hidden: the
    edition's existence is public once published)."""
    edition = get_object_or_404(Edition, slug=slug)
    if not request.user.has_perm("budgets.run", edition):
        if not edition.is_published:
            raise Http404
        raise PermissionDenied(_("Only the planners of this edition's territory may do that."))
    return edition


class EditionResultsApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=EditionResultsSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """The edition's published results: per run (one, or one per district) the method
        in words, the budget, the ballots counted, the total spent, and per project its
        votes, its cost, whether it won and why."""
        edition = get_object_or_404(Edition, slug=slug, is_published=True)
        runs = published_runs(edition)
        if not runs:
            raise Http404(_("The results are not published yet."))
        return Response(_results(edition, runs))


class ResultRunsApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "budget_results"

    def get_throttles(self):
        if self.request.method == "POST":
            return [ScopedRateThrottle()]
        return super().get_throttles()

    @extend_schema(responses=EditionResultsSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """Every count of the edition, the latest first, with its job's progress."""
        edition = _edition_run_by(request, slug)
        return Response(_results(edition, list(result_runs(edition)), with_job=True))

    @extend_schema(request=ResultComputeInputSerializer, responses={202: EditionResultsSerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Count the ballots (the edition's rule and settings unless given): a job computes
        one run, or one per district; only once the vote has closed."""
        edition = _edition_run_by(request, slug)
        serializer = ResultComputeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        runs = results_compute(edition, user=request.user, **serializer.validated_data)
        return Response(_results(edition, runs, with_job=True), status=status.HTTP_202_ACCEPTED)


class ResultPublishApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "budget_results"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(request=ResultPublishInputSerializer, responses=EditionResultsSerializer)
    def post(self, request: Request, slug: str) -> Response:
        """Publish computed runs (one, or one per district) as the edition's results: the
        winners become "winner", the other projects of the vote "not selected"."""
        edition = _edition_run_by(request, slug)
        serializer = ResultPublishInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = set(serializer.validated_data["runs"])
        runs = list(ResultRun.objects.filter(pk__in=ids).select_related("district"))
        if len(runs) != len(ids):
            raise serializers.ValidationError({"runs": [_("Unknown result.")]})
        runs = results_publish(runs, user=request.user, edition=edition)
        return Response(_results(edition, published_runs(edition)))
