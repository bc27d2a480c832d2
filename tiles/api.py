# SPDX-License-Identifier: AGPL-3.0-or-later
"""Start an offline package (MBTiles) of a participatory space, and download it when ready."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.jobs import job_create, job_state, job_visible_to
from carto_concertation.core.models import Job
from carto_concertation.core.modules import space_public
from carto_concertation.core.throttles import ScopedRateThrottle
from carto_concertation.territories.models import Territory

from .services import offline_package_path
from .tasks import offline_package_task


class OfflinePackageApi(APIView):
    permission_classes = [IsAuthenticated]
    # Each job builds thousands of tiles on the worker: a few an hour per person.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "offline_package"

    @extend_schema(request=None, responses={202: OpenApiTypes.OBJECT})
    def post(self, request: Request, concertation_slug: str) -> Response:
        """Build the MBTiles of a concertation's perimeter (zoning, communes, contributions;
        zooms 10–16) in the background; follow it at the job's URL."""
        space = space_public(concertation_slug)
        if space is None:
            raise Http404
        territory = Territory.objects.get(pk=space.territory_id)
        if not request.user.has_perm("tiles.take_offline", territory):
            raise PermissionDenied(_("Only the planners and relays of this territory may do that."))
        job = job_create(
            kind="offline_package",
            title=_("Offline map of %(concertation)s") % {"concertation": space.title},
            params={"concertation_id": space.pk},
            user=request.user,
            enqueue=offline_package_task.delay,
        )
        return Response(job_state(job), status=202)


class OfflinePackageDownloadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/vnd.mapbox-vector-tile"): bytes})
    def get(self, request: Request, pk) -> FileResponse:
        """The MBTiles file of a finished offline-package job (its author only)."""
        job = get_object_or_404(Job, pk=pk, kind="offline_package")
        if not job_visible_to(job, request.user):
            raise PermissionDenied
        path = offline_package_path(str(job.pk))
        if job.status != Job.Status.SUCCEEDED or not path.exists():
            raise Http404(_("The package is not ready."))
        return FileResponse(path.open("rb"), as_attachment=True, filename=f"{job.title}.mbtiles")
