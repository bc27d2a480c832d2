# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open311 GeoReport v2's resources. Reads start from ``selectors.reports_public`` (never
a private, hidden or unconfirmed report); every refusal is the spec's error list with its
HTTP status (400, 403, 404), in the format asked, and writes nothing."""

from datetime import timedelta

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback

from carto_concertation.territories.models import Territory
from carto_concertation.territories.selectors import module_on

from ..api.throttles import FilingEmailThrottle
from ..manifest import SIGNALEMENTS
from ..models import Category, Report, ReportUpdate
from ..selectors import categories_of, reports_public
from ..services.submission import report_submit
from .keys import api_client_for_key
from .renderers import Open311JSONRenderer, Open311XMLRenderer
from .serializers import (
    RequestFilterSerializer,
    RequestPostSerializer,
    attributes_of,
    request_row,
    service_definition,
    service_row,
)

# The spec's defaults for GET requests: the last 90 days, at most 1,000 requests.
WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When what this endpoint serves last changed (the discovery's changeset).
CHANGESET = "2026-12-05T00:00:00+00:00"


class Open311Error(exceptions.APIException):
    """A refusal of one argument, answered as the spec's error list ("field: reason", the
    field's name as the spec spells it, untranslated)."""

    def __init__(self, status: int, field: str, reason: str):
        self.status_code = status
        super().__init__(f"{field}: {reason}")


@extend_schema(exclude=True)  # its own standard, documented by the spec, not in /api/v1/
class Open311View(APIView):
    """The resource is answered in the format of its suffix (``.xml`` or ``.json``); the
    territory is the one named by ``jurisdiction_id`` (its SIREN), or the only one."""

    authentication_classes: list = []  # a partner's key, not a session: no CSRF either
    permission_classes = [AllowAny]
    renderer_classes = [Open311XMLRenderer, Open311JSONRenderer]
    # The spec's POST is a form (multipart for a client that sends a photo, not kept).
    parser_classes = [FormParser, MultiPartParser]
    xml_root = "service_requests"
    xml_item = "request"

    def get_renderer_context(self) -> dict:
        return super().get_renderer_context() | {
            "xml_root": self.xml_root,
            "xml_item": self.xml_item,
        }

    def handle_exception(self, exc: Exception) -> Response:
        errors = _errors_of(exc)
        if errors is None:
            return super().handle_exception(exc)
        status, descriptions = errors
        set_rollback()  # as DRF's own handler: nothing of a refused request is kept
        self.xml_root, self.xml_item = "errors", "error"
        response = Response(
            [{"code": status, "description": d} for d in descriptions], status=status
        )
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            response["Retry-After"] = str(int(exc.wait) + 1)
        return response

    def territory(self) -> Territory:
        territories = Territory.objects.filter(module_on(SIGNALEMENTS.name, ""))
        arguments = (
            self.request.data if self.request.method == "POST" else self.request.query_params
        )
        siren = arguments.get("jurisdiction_id")
        if siren:
            territory = territories.filter(siren=siren).first()
            if territory is None:
                raise Open311Error(404, "jurisdiction_id", _("no such jurisdiction here."))
            return territory
        candidates = list(territories[:2])
        if not candidates:
            raise Open311Error(404, "jurisdiction_id", _("no such jurisdiction here."))
        if len(candidates) > 1:
            raise Open311Error(400, "jurisdiction_id", _("name the territory by its SIREN."))
        return candidates[0]


def _errors_of(exc: Exception) -> tuple[int, list[str]] | None:
    if isinstance(exc, exceptions.ValidationError):
        return 400, _descriptions(exc.detail)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return 400, _descriptions(detail)
    if isinstance(exc, Http404):
        return 404, [_("Not found.")]
    if isinstance(exc, exceptions.APIException):
        return exc.status_code, [str(exc.detail)]
    return None


def _descriptions(detail, field: str = "") -> list[str]:
    """One line per message, led by the field; an answer's (report_submit's "answers",
    "code: reason") by the attribute it came as, ``attribute[code]``."""
    if isinstance(detail, dict):
        return [line for key, value in detail.items() for line in _descriptions(value, str(key))]
    if isinstance(detail, list | tuple):
        return [line for item in detail for line in _descriptions(item, field)]
    text = str(detail)
    if field == "answers":
        code, found, reason = text.partition(": ")
        return [f"attribute[{code}]: {reason}" if found else f"attribute: {text}"]
    return [f"{field}: {text}" if field and field != "non_field_errors" else text]


class DiscoveryView(Open311View):
    xml_root = "discovery"

    def get(self, request: Request, format: str) -> Response:
        """Where the endpoint is and what it speaks (the spec's service discovery)."""
        base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"format": "xml"}))
        return Response(
            {
                "changeset": CHANGESET,
                "contact": _("Ask the intercommunalité's services for an application key."),
                "key_service": _("Keys are issued by the administrators of the site."),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": base.rsplit("/", 1)[0],
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            }
        )


def _services(territory: Territory) -> QuerySet[Category]:
    """The categories a report is filed on: active, under an active parent, without an
    active child, in the tree's order."""
    return (
        categories_of(territory.pk)
        .exclude(parent__active=False)
        .exclude(children__active=True)
        # The tree's order: a group where its parent stands, its children inside it.
        .order_by(
            Coalesce("parent__position", "position"),
            Coalesce("parent__name", "name"),
            "position",
            "name",
        )
    )


class ServiceListView(Open311View):
    xml_root, xml_item = "services", "service"

    def get(self, request: Request, format: str) -> Response:
        """The territory's categories as Open311 services, grouped by their parent."""
        return Response([service_row(category) for category in _services(self.territory())])


class ServiceDefinitionView(Open311View):
    xml_root = "service_definition"

    def get(self, request: Request, code: str, format: str) -> Response:
        """A service's extra questions as Open311 attributes."""
        category = _services(self.territory()).filter(code=code).first()
        if category is None:
            raise Open311Error(404, "service_code", _("no such service here."))
        return Response(service_definition(category))


def _public_requests(territory: Territory) -> QuerySet[Report]:
    return (
        reports_public()
        .filter(territory=territory)
        .select_related("category", "service")
        .prefetch_related(
            "photos",
            Prefetch(
                "updates",
                queryset=ReportUpdate.objects.exclude(text="").order_by("-created_at", "-id"),
                to_attr="public_updates",
            ),
        )
        .annotate(requested=Coalesce("confirmed_at", "created_at"))
    )


class RequestsView(Open311View):
    def get_throttles(self):
        # The residents' limit per e-mail address holds here too; not the one per client
        # address: a partner posts its users' requests from one server.
        if self.request.method == "POST":
            return [*super().get_throttles(), FilingEmailThrottle()]
        return super().get_throttles()

    def get(self, request: Request, format: str) -> Response:
        """The territory's public requests, newest first: the last 90 days and at most
        1,000 unless told otherwise; ``service_request_id`` overrides the other filters."""
        territory = self.territory()
        arguments = {key: value for key, value in request.query_params.items() if value != ""}
        filters = RequestFilterSerializer(data=arguments)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        reports = _public_requests(territory)
        if "service_request_id" in wanted:
            reports = reports.filter(pk__in=wanted["service_request_id"][:MAX_REQUESTS])
        else:
            reports = reports.filter(**_window(wanted.get("start_date"), wanted.get("end_date")))
            if wanted.get("service_code"):
                reports = reports.filter(category__code__in=wanted["service_code"])
            statuses = set(wanted.get("status", ()))
            if statuses == {"open"}:
                reports = reports.filter(state__in=Report.OPEN_STATES)
            elif statuses == {"closed"}:
                reports = reports.filter(state__in=Report.CLOSED_STATES)
        reports = reports.order_by("-requested", "-pk")[:MAX_REQUESTS]
        return Response([request_row(report, request) for report in reports])

    def post(self, request: Request, format: str) -> Response:
        """A request posted by a partner application (its ``api_key``): its number when
        it is public at once, a ``token`` otherwise (tokens/{token} gives the number
        once it is)."""
        territory = self.territory()
        client = api_client_for_key(territory=territory, key=str(request.data.get("api_key", "")))
        if client is None:
            raise Open311Error(403, "api_key", _("missing or not valid for this jurisdiction."))
        form = RequestPostSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        category = _services(territory).filter(code=data["service_code"]).first()
        if category is None:
            raise Open311Error(404, "service_code", _("no such service here."))
        report = report_submit(
            territory=territory,
            category=category,
            point=Point(data["long"], data["lat"], srid=4326),
            description=data["description"],
            answers=attributes_of(request.data),
            email=data.get("email", ""),
            source=Report.Source.OPEN311,
            api_client=client,
        )
        if reports_public().filter(pk=report.pk).exists():
            row = {"service_request_id": report.pk}
        else:
            row = {"token": str(report.token)}
        return Response([row | {"service_notice": "", "account_id": None}], status=201)


def _window(start, end) -> dict:
    """The spec's window of at most 90 days: the last 90 days when neither end is given,
    90 days from the start or up to the end when only one is."""
    if start and end and end < start:
        raise Open311Error(400, "end_date", _("it comes before start_date."))
    if start and end and end - start > WINDOW:
        raise Open311Error(400, "end_date", _("the dates may not span more than 90 days."))
    if start is None:
        start = (end or timezone.now()) - WINDOW
    if end is None:
        end = start + WINDOW
    return {"requested__gte": start, "requested__lte": end}


class RequestDetailView(Open311View):
    def get(self, request: Request, pk: str, format: str) -> Response:
        """One public request, as a list of one (the spec)."""
        territory = self.territory()
        report = (
            _public_requests(territory).filter(pk=int(pk)).first()
            if pk.isdigit() and len(pk) < 12
            else None
        )
        if report is None:
            raise Open311Error(404, "service_request_id", _("no such request here."))
        return Response([request_row(report, request)])


class TokenView(Open311View):
    def get(self, request: Request, token: str, format: str) -> Response:
        """The request number of a token, once the request is public; before (or when it
        never will be) the token alone, without a number."""
        territory = self.territory()
        try:
            report = Report.objects.filter(territory=territory, token=token).first()
        except DjangoValidationError:  # not a UUID: no such token
            report = None
        if report is None:
            raise Open311Error(404, "token", _("no such token here."))
        public = reports_public().filter(pk=report.pk).exists()
        return Response([{"service_request_id": report.pk if public else None, "token": token}])
