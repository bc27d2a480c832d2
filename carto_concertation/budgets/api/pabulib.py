# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Pabulib API: an agent imports an edition from a ``.pb`` file (POST
``budgets/import``, multipart); anyone downloads a published edition's ``.pb`` once its
vote is over (``budgets/editions/<slug>/export.pb``). A file that does not parse is a 400
``{"file": ["line 12: ..."]}``, nothing written."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.throttles import HEAVY_READ_THROTTLES, WriteThrottleMixin
from carto_concertation.territories.models import Territory

from ..models import Edition
from ..selectors.pabulib import edition_for_export
from ..services.pabulib_io import edition_export_pb, edition_import_pb, staff_export_record


class PabulibImportInputSerializer(serializers.Serializer):
    territory = serializers.PrimaryKeyRelatedField(
        queryset=Territory.objects.all(),
        help_text=gettext_lazy("The territory whose edition this is (one you run)."),
    )
    file = serializers.FileField(
        help_text=gettext_lazy("A Pabulib .pb file (UTF-8): META, PROJECTS and VOTES.")
    )


class PabulibImportedSerializer(serializers.ModelSerializer):
    projects = serializers.IntegerField(source="projects.count", read_only=True)
    ballots = serializers.IntegerField(source="ballots.count", read_only=True)

    class Meta:
        model = Edition
        fields = ["id", "slug", "title", "year", "envelope", "ballot_type", "projects", "ballots"]


def pb_response(edition: Edition, *, user) -> HttpResponse:
    """The ``.pb`` file as a download named after the edition."""
    response = HttpResponse(edition_export_pb(edition), content_type="text/plain; charset=utf-8")
    staff_export_record(edition, user=user)
    response["Content-Disposition"] = f'attachment; filename="{edition.slug}.pb"'
    response["Cache-Control"] = "private, no-store"
    return response


class PabulibImportApi(WriteThrottleMixin, APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "budgets_import"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="budgets_import_pb",
        request={"multipart/form-data": PabulibImportInputSerializer},
        responses={201: PabulibImportedSerializer},
    )
    def post(self, request: Request) -> Response:
        """A new edition (unpublished) of the territory from the .pb file, with its
        projects and its ballots; 400 naming the line of the file and the reason."""
        data = PabulibImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        edition = edition_import_pb(
            territory=data.validated_data["territory"],
            file=data.validated_data["file"],
            user=request.user,
        )
        return Response(PabulibImportedSerializer(edition).data, status=201)


class PabulibExportApi(APIView):
    permission_classes = [AllowAny]
    # Writing a whole edition's ballots costs: the heavy reads' rate on top.
    throttle_classes = HEAVY_READ_THROTTLES

    @extend_schema(
        operation_id="budgets_export_pb", responses={(200, "text/plain"): OpenApiTypes.STR}
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        """The edition's anonymous .pb file (voters numbered 1..n in a random order); 403
        until the vote is over."""
        edition = edition_for_export(slug=slug, user=request.user)
        if edition is None:
            raise Http404(_("No such edition."))
        return pb_response(edition, user=request.user)
