# SPDX-License-Identifier: AGPL-3.0-or-later
"""The workflow's API, under /api/v1/signalements/reports/<id>/: the services change a
report's state, re-route it, mark it a duplicate (and change the state of several at
once); residents follow it ("me too") and its reporter answers "est-ce réparé ?".
A report one may not see is not found (404); one seen but not one's to act on is a 403;
bad input a 400 naming the field. Nothing is written in either case."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.throttles import ScopedRateThrottle
from carto_concertation.territories.selectors import module_on

from ..manifest import SIGNALEMENTS
from ..models import Report, ReportUpdate, Service
from ..notifications import fixed_answer_read
from ..selectors import reports_visible_to
from ..services.fixed_check import report_fixed_answer
from ..services.following import report_follow, report_unfollow
from ..services.workflow import (
    REASON_MAX,
    TEXT_MAX,
    report_mark_duplicate,
    report_reroute,
    report_state_change,
    reports_state_change_bulk,
)


def _reports_of(request: Request):
    return reports_visible_to(request.user).filter(module_on(SIGNALEMENTS.name))


def _report(request: Request, pk: int) -> Report:
    return get_object_or_404(_reports_of(request), pk=pk)


class WorkflowStepSerializer(serializers.ModelSerializer):
    """A step of the history, as the public reads it (the acting agent is never named)."""

    report = serializers.IntegerField(source="report_id")
    service_before = serializers.CharField(source="service_before.name", default=None)
    service_after = serializers.CharField(source="service_after.name", default=None)

    class Meta:
        model = ReportUpdate
        fields = [
            "id",
            "report",
            "kind",
            "state_before",
            "state_after",
            "service_before",
            "service_after",
            "text",
            "created_at",
        ]


class WorkflowStateInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Report.State.choices)
    text = serializers.CharField(max_length=TEXT_MAX, trim_whitespace=False)
    reason = serializers.CharField(
        max_length=REASON_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why it is not fixed, or the body to contact when not our responsibility."),
    )


class WorkflowBulkStateInputSerializer(WorkflowStateInputSerializer):
    reports = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=500
    )


class WorkflowRerouteInputSerializer(serializers.Serializer):
    service = serializers.IntegerField(min_value=1)
    text = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default="", trim_whitespace=False
    )


class WorkflowDuplicateInputSerializer(serializers.Serializer):
    original = serializers.IntegerField(min_value=1)
    text = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default="", trim_whitespace=False
    )


class WorkflowFollowInputSerializer(serializers.Serializer):
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Without an account: the address is sent a link to confirm."),
    )


class WorkflowFollowOutputSerializer(serializers.Serializer):
    following = serializers.BooleanField()
    confirmation_sent = serializers.BooleanField()
    followers = serializers.IntegerField()


class WorkflowFixedInputSerializer(serializers.Serializer):
    fixed = serializers.BooleanField()
    token = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The signed token of the e-mail's link, for a reporter not signed in."),
    )
    text = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default="", trim_whitespace=False
    )


def _valid(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class _AgentWrite(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "signalement_workflow"
    throttle_classes = [ScopedRateThrottle]


class ReportStateApi(_AgentWrite):
    @extend_schema(request=WorkflowStateInputSerializer, responses={200: WorkflowStepSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """Move a report to another state with a public text (the service it is sent to,
        or an administrator); the reporter and the followers are told."""
        report = _report(request, pk)
        data = _valid(WorkflowStateInputSerializer, request)
        update = report_state_change(report=report, actor=request.user, **data)
        return Response(WorkflowStepSerializer(update).data)


class ReportsStateBulkApi(_AgentWrite):
    @extend_schema(
        operation_id="signalements_reports_state_bulk",
        request=WorkflowBulkStateInputSerializer,
        responses={200: WorkflowStepSerializer(many=True)},
    )
    def post(self, request: Request) -> Response:
        """The same state change for several reports: all of them, or none (the reports
        that may not move are named in the error on ``reports``)."""
        data = _valid(WorkflowBulkStateInputSerializer, request)
        ids = set(data.pop("reports"))
        reports = list(_reports_of(request).filter(pk__in=ids))
        if len(reports) != len(ids):
            missing = sorted(ids - {report.pk for report in reports})
            raise serializers.ValidationError(
                {"reports": [_("Unknown report: #%(id)s.") % {"id": pk} for pk in missing]}
            )
        updates = reports_state_change_bulk(reports=reports, actor=request.user, **data)
        return Response(WorkflowStepSerializer(updates, many=True).data)


class ReportRerouteApi(_AgentWrite):
    @extend_schema(request=WorkflowRerouteInputSerializer, responses={200: WorkflowStepSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """Send the report to another service of its territory (that service is e-mailed)."""
        report = _report(request, pk)
        data = _valid(WorkflowRerouteInputSerializer, request)
        service = Service.objects.filter(
            pk=data["service"], territory_id=report.territory_id
        ).first()
        if service is None:
            raise serializers.ValidationError(
                {"service": [_("Choose a service of this report's territory.")]}
            )
        update = report_reroute(
            report=report, actor=request.user, service=service, text=data["text"]
        )
        return Response(WorkflowStepSerializer(update).data)


class ReportDuplicateApi(_AgentWrite):
    @extend_schema(
        request=WorkflowDuplicateInputSerializer, responses={200: WorkflowStepSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        """Close the report as a duplicate of ``original``; its followers follow that one."""
        report = _report(request, pk)
        data = _valid(WorkflowDuplicateInputSerializer, request)
        original = _reports_of(request).filter(pk=data["original"]).first()
        if original is None:
            raise serializers.ValidationError({"original": [_("Unknown report.")]})
        update = report_mark_duplicate(
            report=report, actor=request.user, original=original, text=data["text"]
        )
        return Response(WorkflowStepSerializer(update).data)


class ReportFollowApi(APIView):
    """POST: "me too", follow the report (signed in; or an address, which is sent a link
    to confirm). DELETE: stop following it (signed in; an address stops by the link of
    any e-mail it was sent)."""

    permission_classes = [AllowAny]
    throttle_scope = "signalement_follow"
    throttle_classes = [ScopedRateThrottle]

    def _answer(self, report: Report, *, following: bool, sent: bool) -> Response:
        return Response(
            {
                "following": following,
                "confirmation_sent": sent,
                "followers": report.followers.count(),
            }
        )

    @extend_schema(
        request=WorkflowFollowInputSerializer, responses={200: WorkflowFollowOutputSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        report = _report(request, pk)
        if request.user.is_authenticated:
            report_follow(report=report, user=request.user)
            return self._answer(report, following=True, sent=False)
        data = _valid(WorkflowFollowInputSerializer, request)
        report_follow(report=report, email=data["email"])
        return self._answer(report, following=False, sent=True)

    @extend_schema(request=None, responses={200: WorkflowFollowOutputSerializer})
    def delete(self, request: Request, pk: int) -> Response:
        if not request.user.is_authenticated:
            self.permission_denied(request)
        report = _report(request, pk)
        report_unfollow(report=report, user=request.user)
        return self._answer(report, following=False, sent=False)


class ReportFixedApi(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "signalement_follow"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(request=WorkflowFixedInputSerializer, responses={200: WorkflowStepSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """The reporter's answer to "est-ce réparé ?" (signed in, or with the e-mail's
        token): ``false`` reopens the report and tells its service."""
        data = _valid(WorkflowFixedInputSerializer, request)
        # The token proves the reporter of this report: with it, a private one answers too.
        proven = fixed_answer_read(data["token"]) == pk
        reports = (
            Report.objects.filter(module_on(SIGNALEMENTS.name)) if proven else _reports_of(request)
        )
        report = get_object_or_404(reports, pk=pk)
        update = report_fixed_answer(report=report, user=request.user, **data)
        return Response(WorkflowStepSerializer(update).data)
