# SPDX-License-Identifier: AGPL-3.0-or-later
"""The planners' APIs of a concertation: figures, choropleths, heat map, answer
templates, answers given several at once, and the bilan (Celery job, downloads)."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.selectors import concertation_public_list
from carto_concertation.core.geojson import GeoJsonViewMixin
from carto_concertation.core.jobs import job_create, job_state
from carto_concertation.core.throttles import HEAVY_READ_THROTTLES, ScopedRateThrottle
from carto_concertation.territories.selectors import module_on

from ..manifest import IDEAS
from ..models import AnswerTemplate
from ..selectors import PUBLIC_STATUSES
from . import answer_templates, bilan
from .permissions import planner_check
from .serializers import (
    AnswerTemplateSerializer,
    BilanInputSerializer,
    BulkAnswerInputSerializer,
    BulkAnswerOutputSerializer,
    HeatmapQuerySerializer,
    ZoneCountsSerializer,
)
from .stats import (
    heatmap_min_count,
    stats_area_ideas,
    stats_communes,
    stats_figures,
    stats_heatmap,
    stats_zone_counts,
    stats_zones,
)
from .stats_filters import contributions_filtered
from .tasks import bilan_task

WRITES = ("POST", "PUT", "PATCH", "DELETE")


class PlannerApi(APIView):
    """A concertation (drafts included) its territory's planners and administrators
    work on; anyone else gets a 403 before anything is read."""

    permission_classes = [IsAuthenticated]
    throttle_scope = "moderation"

    def get_throttles(self):
        if self.request.method in WRITES:
            return [ScopedRateThrottle()]
        return super().get_throttles()

    def concertation(self) -> Concertation:
        if not hasattr(self, "_concertation"):
            concertation = get_object_or_404(
                Concertation.objects.select_related("territory", "plui_document").filter(
                    module_on(IDEAS.name)
                ),
                slug=self.kwargs["concertation_slug"],
            )
            planner_check(concertation=concertation, user=self.request.user)
            self._concertation = concertation
        return self._concertation

    def filtered(self):
        concertation = self.concertation()
        return concertation, contributions_filtered(
            concertation=concertation, params=self.request.query_params
        )


# The filters every figure shares (stats_filters.StatsFilter), described once.
FILTERS = [
    OpenApiParameter(
        "phase",
        int,
        description=gettext_lazy("Id of a phase: the contributions received during it."),
    ),
    OpenApiParameter(
        "created_after",
        OpenApiTypes.DATE,
        description=gettext_lazy("Received on or after (alias: since)."),
    ),
    OpenApiParameter(
        "created_before",
        OpenApiTypes.DATE,
        description=gettext_lazy("Received on or before (alias: until)."),
    ),
    OpenApiParameter(
        "theme", str, description=gettext_lazy("Theme ids, comma-separated (any of them).")
    ),
    OpenApiParameter(
        "channel", str, many=True, description=gettext_lazy("online, workshop, paper, other.")
    ),
    OpenApiParameter(
        "status",
        str,
        many=True,
        description=gettext_lazy("Statuses (default: all but merged and withdrawn)."),
    ),
]


class StatsApi(PlannerApi):
    throttle_classes = HEAVY_READ_THROTTLES

    @extend_schema(parameters=FILTERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, concertation_slug: str) -> Response:
        """Figures of the filtered contributions: total, per status, channel, theme,
        commune, TYPEZONE, themes × TYPEZONE and week."""
        concertation, contributions = self.filtered()
        return Response(stats_figures(concertation=concertation, contributions=contributions))


class StatsZonesApi(GeoJsonViewMixin, PlannerApi):
    throttle_classes = HEAVY_READ_THROTTLES

    @extend_schema(parameters=FILTERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, concertation_slug: str) -> Response:
        """The zones of the current PLU/PLUi with their number of contributions (GeoJSON,
        WGS84): every zone's outline, a download (the dashboard reads `stats/zones/counts`)."""
        concertation, contributions = self.filtered()
        return Response(stats_zones(concertation=concertation, contributions=contributions))


class StatsZoneCountsApi(PlannerApi):
    throttle_classes = HEAVY_READ_THROTTLES

    @extend_schema(parameters=FILTERS, responses={200: ZoneCountsSerializer})
    def get(self, request: Request, concertation_slug: str) -> Response:
        """The zones of the current PLU/PLUi with contributions, their count and density,
        without outlines: what the dashboard's map colours on the zoning tiles
        (`/tiles/zoning.json`, layer `zones`, where a feature's id is the zone's)."""
        concertation, contributions = self.filtered()
        counts = stats_zone_counts(concertation=concertation, contributions=contributions)
        return Response(ZoneCountsSerializer(counts).data)


class StatsCommunesApi(GeoJsonViewMixin, PlannerApi):
    throttle_classes = HEAVY_READ_THROTTLES

    @extend_schema(parameters=FILTERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, concertation_slug: str) -> Response:
        """The communes of the territory with their number of contributions (GeoJSON)."""
        concertation, contributions = self.filtered()
        return Response(stats_communes(concertation=concertation, contributions=contributions))


class StatsAreaIdeasApi(PlannerApi):
    throttle_classes = HEAVY_READ_THROTTLES

    @extend_schema(
        parameters=[
            OpenApiParameter("zone", int, description=gettext_lazy("Id of a zone.")),
            OpenApiParameter("commune", int, description=gettext_lazy("Id of a commune.")),
            *FILTERS,
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, concertation_slug: str) -> Response:
        """The filtered contributions in one zone or one commune (the map's click):
        their count and the most recent ones, with their planner's page."""
        _concertation, contributions = self.filtered()

        def number(name: str) -> int | None:
            value = request.query_params.get(name, "")
            return int(value) if value.isdigit() else None

        found = stats_area_ideas(
            contributions=contributions, zone=number("zone"), commune=number("commune")
        )
        for idea in found["ideas"]:
            idea["url"] = reverse("contribution-planning", args=[concertation_slug, idea["id"]])
        return Response(found)


class HeatmapApi(GeoJsonViewMixin, APIView):
    permission_classes = []
    throttle_classes = HEAVY_READ_THROTTLES

    @extend_schema(
        parameters=[HeatmapQuerySerializer, *FILTERS], responses={200: OpenApiTypes.OBJECT}
    )
    def get(self, request: Request, concertation_slug: str) -> Response:
        """Grid cells with their number of contributions (GeoJSON). For everyone: the
        public contributions, only in cells holding at least HEATMAP_MIN_COUNT of them,
        so that no single home can be singled out. Planners may ask ``full=true``."""
        params = HeatmapQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        full = params.validated_data["full"]
        queryset = Concertation.objects.all() if full else concertation_public_list()
        concertation = get_object_or_404(
            queryset.filter(module_on(IDEAS.name)), slug=concertation_slug
        )
        if full:
            planner_check(concertation=concertation, user=request.user)
        contributions = contributions_filtered(
            concertation=concertation, params=request.query_params
        )
        if not full:
            contributions = contributions.filter(status__in=PUBLIC_STATUSES)
        return Response(
            stats_heatmap(
                contributions=contributions,
                cell=params.validated_data["cell"],
                min_count=1 if full else heatmap_min_count(),
            )
        )


class AnswerTemplateListApi(PlannerApi):
    @extend_schema(responses={200: AnswerTemplateSerializer(many=True)})
    def get(self, request: Request, concertation_slug: str) -> Response:
        """The answer templates of the concertation."""
        templates = answer_templates.answer_template_list(concertation=self.concertation())
        return Response(AnswerTemplateSerializer(templates, many=True).data)

    @extend_schema(request=AnswerTemplateSerializer, responses={201: AnswerTemplateSerializer})
    def post(self, request: Request, concertation_slug: str) -> Response:
        """Write a template: a title, the status it gives, the answer and its service."""
        params = AnswerTemplateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        template = answer_templates.answer_template_create(
            concertation=self.concertation(), user=request.user, **params.validated_data
        )
        return Response(AnswerTemplateSerializer(template).data, status=201)


class AnswerTemplateDetailApi(PlannerApi):
    def template(self, pk: int) -> AnswerTemplate:
        return get_object_or_404(AnswerTemplate, pk=pk, concertation=self.concertation())

    @extend_schema(responses={200: AnswerTemplateSerializer})
    def get(self, request: Request, concertation_slug: str, pk: int) -> Response:
        return Response(AnswerTemplateSerializer(self.template(pk)).data)

    @extend_schema(request=AnswerTemplateSerializer, responses={200: AnswerTemplateSerializer})
    def put(self, request: Request, concertation_slug: str, pk: int) -> Response:
        """Rewrite a template (the answers already given keep their text)."""
        template = self.template(pk)
        params = AnswerTemplateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        template = answer_templates.answer_template_update(
            template=template, user=request.user, **params.validated_data
        )
        return Response(AnswerTemplateSerializer(template).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, concertation_slug: str, pk: int) -> Response:
        answer_templates.answer_template_delete(template=self.template(pk), user=request.user)
        return Response(status=204)


class BulkAnswerApi(PlannerApi):
    @extend_schema(request=BulkAnswerInputSerializer, responses={200: BulkAnswerOutputSerializer})
    def post(self, request: Request, concertation_slug: str) -> Response:
        """Apply a template to several contributions at once; one refused and none is
        answered (400 naming each refused contribution)."""
        params = BulkAnswerInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        concertation = self.concertation()
        template = AnswerTemplate.objects.filter(
            pk=params.validated_data["template"], concertation=concertation
        ).first()
        if template is None:
            return Response({"template": [_("No such template in this concertation.")]}, 400)
        answered = answer_templates.contribution_answer_bulk(
            concertation=concertation,
            user=request.user,
            template=template,
            contribution_ids=params.validated_data["ids"],
        )
        return Response({"answered": [c.pk for c in answered]})


class BilanListApi(PlannerApi):
    throttle_scope = "bilan"

    @extend_schema(
        operation_id="concertations_bilans_list",
        # A list of bilans (each as a job's state with its downloads), not one object.
        responses={200: build_array_type(build_basic_type(OpenApiTypes.OBJECT))},
    )
    def get(self, request: Request, concertation_slug: str) -> Response:
        """The bilans generated for this concertation, newest first, with their links."""
        concertation = self.concertation()
        return Response(
            [
                _bilan_entry(request, job, concertation_slug)
                for job in bilan.bilan_jobs(concertation)
            ]
        )

    @extend_schema(request=BilanInputSerializer, responses={202: OpenApiTypes.OBJECT})
    def post(self, request: Request, concertation_slug: str) -> Response:
        """Generate the bilan de la concertation (HTML and PDF) in the background; follow
        it at /api/v1/jobs/<id>/."""
        params = BilanInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        concertation = self.concertation()
        job = job_create(
            kind=bilan.JOB_KIND,
            title=_("Bilan of %(concertation)s") % {"concertation": concertation.title},
            params={"concertation_id": concertation.pk, **params.validated_data},
            user=request.user,
            enqueue=bilan_task.delay,
        )
        return Response(_bilan_entry(request, job, concertation_slug), status=202)


def _bilan_entry(request: Request, job, slug: str) -> dict:
    state = job_state(job)
    state["language"] = job.params.get("language", "fr")
    state["downloads"] = {
        fmt: request.build_absolute_uri(reverse("api:bilan-download", args=[slug, job.pk, fmt]))
        for fmt in bilan.FORMATS
    }
    return state


class BilanDownloadApi(PlannerApi):
    @extend_schema(
        operation_id="concertations_bilans_download",
        responses={(200, "application/pdf"): bytes, (200, "text/html"): bytes},
    )
    def get(self, request: Request, concertation_slug: str, pk, fmt: str) -> FileResponse:
        """The HTML (printable, self-contained) or PDF of a generated bilan."""
        concertation = self.concertation()
        job = bilan.bilan_job(concertation=concertation, job_id=pk)
        if job is None or fmt not in bilan.FORMATS:
            raise Http404(_("This bilan is not ready."))
        path = bilan.bilan_path(job_id=str(pk), fmt=fmt)
        if not path.exists():
            raise Http404(_("This bilan is not ready."))
        return FileResponse(
            path.open("rb"),
            as_attachment=fmt == "pdf",
            filename=f"bilan-{concertation.slug}.{fmt}",
            content_type=bilan.FORMATS[fmt],
        )
