# SPDX-License-Identifier: AGPL-3.0-or-later
"""The organisers' exports of a questionnaire's answers (no identities):
``surveys/questionnaires/<slug>/export.csv`` and ``export.gpkg``. Unknown slug 404;
anyone but the territory's planners and the administrators (``surveys.organise``) 403;
a GeoPackage of a questionnaire without a map question 404, with the reason."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.exceptions import APIException
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from carto_concertation.core.throttles import ScopedRateThrottle

from ..models import Questionnaire
from ..selectors.exports import export_questionnaire
from ..services.exports import (
    CONTENT_TYPES,
    ExportError,
    NoMapQuestion,
    export_chunks,
    export_filename,
    export_record,
)

logger = logging.getLogger(__name__)


class ExportUnavailable(APIException):
    status_code = 503
    default_detail = gettext_lazy("The GeoPackage could not be made. Try again later.")
    default_code = "export_unavailable"


def questionnaire_organised(*, slug: str, user) -> Questionnaire:
    """The questionnaire ``user`` organises (404 unknown, 403 not theirs)."""
    questionnaire = export_questionnaire(slug)
    if questionnaire is None:
        raise Http404(_("No questionnaire has this address."))
    if not user.has_perm("surveys.organise", questionnaire):
        raise PermissionDenied(_("Only the organisers of this questionnaire may export it."))
    return questionnaire


def export_response(*, questionnaire: Questionnaire, fmt: str) -> StreamingHttpResponse:
    """The export as a download named after the questionnaire, never cached. Raises
    Http404 for the GeoPackage of a questionnaire without a map question, ExportError."""
    try:
        chunks = export_chunks(questionnaire=questionnaire, fmt=fmt)
    except NoMapQuestion as exc:
        raise Http404(_("This questionnaire has no map question: no GeoPackage.")) from exc
    export_record(questionnaire=questionnaire, fmt=fmt)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    filename = export_filename(questionnaire=questionnaire, fmt=fmt)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


class _ExportApi(APIView):
    permission_classes = [IsAuthenticated]
    # An export reads every answer of a questionnaire: the open-data exports' rate.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "export"
    fmt = ""

    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        questionnaire = questionnaire_organised(slug=slug, user=request.user)
        try:
            return export_response(questionnaire=questionnaire, fmt=self.fmt)
        except ExportError as exc:
            logger.error("GeoPackage export of %s failed: %s", questionnaire.slug, exc)
            raise ExportUnavailable from exc


class ExportCsvApi(_ExportApi):
    fmt = "csv"

    @extend_schema(
        operation_id="surveys_export_csv", responses={(200, "text/csv"): OpenApiTypes.BINARY}
    )
    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        """The submitted responses, one row each (`;`, UTF-8 with BOM): a number in the
        order of submission, channel, day, then a column per question by code (map answers
        as WKT in WGS84). No identities. Organisers only."""
        return super().get(request, slug)


class ExportGeoPackageApi(_ExportApi):
    fmt = "gpkg"

    @extend_schema(
        operation_id="surveys_export_gpkg",
        responses={(200, "application/geopackage+sqlite3"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        """A layer per map question (its code), one feature per marker: the response's
        number, the marker's rank, the picked zone or commune, the follow-up choice and
        the comment, in the storage CRS (Lambert-93 by default). No identities.
        Organisers only; 404 when the questionnaire has no map question."""
        return super().get(request, slug)
