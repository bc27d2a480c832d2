# SPDX-License-Identifier: AGPL-3.0-or-later
"""Workshops of the relays: list and create, captures synced from the tablet, paper-map
imports, the printable sheet (a background job) and its download."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiTypes, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.jobs import job_state, job_visible_to
from carto_concertation.core.models import Job
from carto_concertation.core.serializers import EXAMPLE as GEOMETRY_EXAMPLE
from carto_concertation.core.throttles import WriteThrottleMixin

from . import services
from .models import Workshop
from .paper import paper_rows
from .permissions import workshop_of_runner, workshop_runner_check
from .printmap import FORMATS, sheet_path
from .selectors import workshop_list_for
from .serializers import (
    CaptureInputSerializer,
    CaptureOutputSerializer,
    PaperImportInputSerializer,
    PrintMapQuerySerializer,
    WorkshopInputSerializer,
    WorkshopOutputSerializer,
    WorkshopUpdateSerializer,
)

PRINT_JOB = services.PRINT_JOB


class WorkshopApi(WriteThrottleMixin, APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "workshop"

    def workshop(self) -> Workshop:
        """A workshop of the person's communes (or territory); any other is not found."""
        return workshop_of_runner(user=self.request.user, pk=self.kwargs["pk"])

    def output(self, workshop: Workshop, status: int = 200) -> Response:
        fresh = workshop_list_for(user=self.request.user).get(pk=workshop.pk)
        return Response(WorkshopOutputSerializer(fresh).data, status=status)


class WorkshopListApi(WorkshopApi):
    @extend_schema(responses=WorkshopOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The workshops of the relay's communes (a planner's: of the territory)."""
        workshop_runner_check(user=request.user)
        workshops = workshop_list_for(user=request.user)
        return Response(WorkshopOutputSerializer(workshops, many=True).data)

    @extend_schema(request=WorkshopInputSerializer, responses={201: WorkshopOutputSerializer})
    def post(self, request: Request) -> Response:
        """A relay plans a workshop in one of their communes."""
        workshop_runner_check(user=request.user)
        params = WorkshopInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        workshop = services.workshop_create(user=request.user, **params.validated_data)
        return self.output(workshop, status=201)


class WorkshopDetailApi(WorkshopApi):
    @extend_schema(responses=WorkshopOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return self.output(self.workshop())

    @extend_schema(request=WorkshopUpdateSerializer, responses=WorkshopOutputSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        params = WorkshopUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        workshop = services.workshop_update(
            workshop=self.workshop(), user=request.user, **params.validated_data
        )
        return self.output(workshop)


class CaptureApi(WorkshopApi):
    @extend_schema(
        request=CaptureInputSerializer,
        responses={201: CaptureOutputSerializer, 200: CaptureOutputSerializer, 409: None},
        examples=[
            OpenApiExample(
                "An idea captured in Sancoins",
                value={
                    "key": "7d0f2c9e-5b1a-4f3e-9c2d-1a2b3c4d5e6f",
                    "title": "Un banc sur la place",
                    "text": "Pour attendre le car à l'ombre.",
                    "themes": [],
                    "geometry": GEOMETRY_EXAMPLE,
                    "channel": "workshop",
                    "participant": "Lise",
                },
                request_only=True,
                media_type="application/json",
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        """Sync one captured idea: 201 the first time, 200 with the same contribution when
        the tablet sends it again, 409 when its key was used for another idea."""
        workshop = self.workshop()
        params = CaptureInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        payload = services.CapturePayload(
            title=data["title"],
            text=data["text"],
            geometry=data["geometry"],
            theme_ids=tuple(data["themes"]),
            channel=data["channel"],
            participant=data["participant"],
        )
        try:
            capture, created = services.workshop_capture_record(
                workshop=workshop, user=request.user, key=data["key"], payload=payload
            )
        except services.CaptureConflict as exc:
            return Response({"key": [str(exc)]}, status=409)
        return Response(CaptureOutputSerializer(capture).data, status=201 if created else 200)


class PaperImportApi(WorkshopApi):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": PaperImportInputSerializer},
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Import a paper-map session, all or nothing: 201 with the ideas' ids, or 400
        with each refused line, its field and the reason, and nothing imported."""
        workshop = self.workshop()
        params = PaperImportInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        rows, digest = paper_rows(
            upload=params.validated_data["file"], concertation=workshop.concertation
        )
        report = services.workshop_paper_import(
            workshop=workshop, user=request.user, rows=rows, source=digest
        )
        if report.errors:
            return Response(
                {
                    "detail": _("Nothing was imported: correct these lines."),
                    "errors": report.errors,
                },
                status=400,
            )
        return Response({"created": report.created, "already_imported": report.already}, status=201)


class JsonAnswer(DefaultContentNegotiation):
    """``?format=`` names the sheet's format here, not DRF's choice of renderer (which
    would answer 404 to ``format=png``): the answer is always the job, in JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PrintMapApi(WorkshopApi):
    content_negotiation_class = JsonAnswer

    @extend_schema(
        parameters=[PrintMapQuerySerializer], request=None, responses={202: OpenApiTypes.OBJECT}
    )
    def post(self, request: Request, pk: int) -> Response:
        """Draw the A3 sheet of the workshop's commune in the background; follow the job
        at /api/v1/jobs/<id>/, then download it."""
        workshop = self.workshop()
        params = PrintMapQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        job = services.workshop_print_start(
            workshop=workshop,
            user=request.user,
            fmt=params.validated_data["format"],
            language=translation.get_language(),
        )
        return Response(job_state(job), status=202)


class PrintMapDownloadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
        }
    )
    def get(self, request: Request, pk) -> FileResponse:
        """The sheet of a finished print job (its author only)."""
        job = get_object_or_404(Job, pk=pk, kind=PRINT_JOB)
        if not job_visible_to(job, request.user):
            raise PermissionDenied
        fmt = job.params.get("format", "pdf")
        path = sheet_path(str(job.pk), fmt)
        if job.status != Job.Status.SUCCEEDED or not path.exists():
            raise Http404(_("The map is not ready."))
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=f"{job.title}.{fmt}",
            content_type=FORMATS[fmt],
        )
