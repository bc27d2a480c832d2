# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tablet page that captures a workshop's ideas, offline too (the page module queues
them and syncs them), and the scripts it runs under the /workshops/ scope."""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import cache_control
from django.views.static import serve

from carto_concertation.core.wgs84 import wgs84

from ..models import WorkshopCapture
from ..permissions import workshop_of_runner
from ..selectors import accepted_geometries, capture_counts

GEOMETRY_LABELS = {"point": _l("A point"), "line": _l("A line"), "area": _l("An area")}


def _strings() -> dict:
    """The words the capture module shows, in the page's language."""
    return {
        "placeFirst": _("Tap the map where the idea applies first."),
        "placed": _("Place chosen."),
        "queued": _("Saved on this tablet; it will be sent when the network is back."),
        "synced": _("Sent."),
        "offline": _("No network: ideas are kept on this tablet."),
        "online": _("Network back: sending the ideas kept on this tablet."),
        "refused": _("Refused by the server:"),
        "conflict": _("Already used for another idea; kept aside."),
        "mapLabel": _("Map: tap where the idea applies"),
        "point": _("Tap the map where the idea applies."),
        "line": _("Tap the map point after point along the line, then “Finish”."),
        "area": _("Tap the map point after point around the area, then “Finish”."),
        "pointsSoFar": _("Points placed:"),
        "needMore": _("A line needs two points and an area three before “Finish”."),
        "finished": _("Place drawn."),
        "queueEmpty": _("Nothing captured on this tablet yet."),
        "edit": _("Edit"),
        "remove": _("Remove"),
        "save": _("Save the changes"),
        "removed": _("Removed from this tablet."),
        "saved": _("Changes kept; the idea waits to be sent."),
        "confirmRemove": _("Remove this idea from the tablet? It was never sent."),
        "keepPlace": _("Keep its place (or draw a new one on the map)."),
        "states": {
            "queued": _("waiting to be sent"),
            "synced": _("sent"),
            "refused": _("refused"),
            "conflict": _("kept aside (key already used)"),
        },
        "kinds": {"point": _("point"), "line": _("line"), "area": _("area")},
    }


@login_required
def workshop_capture_page(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = workshop_of_runner(user=request.user, pk=pk)
    centroid = wgs84(workshop.commune.geom.point_on_surface)
    config = {
        "workshop": workshop.pk,
        "captureUrl": reverse("api:workshop-captures", args=[workshop.pk]),
        "styleUrl": reverse("map-style", args=[workshop.concertation.slug]),
        "center": [round(centroid.x, 6), round(centroid.y, 6)],
        "zoom": 13,
        "serviceWorkerUrl": reverse("workshops:capture-service-worker"),
        "serviceWorkerScope": reverse("workshops:workshop-list"),
        "mapWorkerUrl": reverse("workshops:capture-map-worker"),
        "strings": _strings(),
        "geometries": accepted_geometries(concertation=workshop.concertation),
    }
    return render(
        request,
        "workshops/capture.html",
        {
            "workshop": workshop,
            "themes": workshop.concertation.themes.all(),
            "channels": WorkshopCapture.Channel.choices,
            "geometries": [
                (kind, GEOMETRY_LABELS[kind])
                for kind in config["geometries"]
                if kind in GEOMETRY_LABELS
            ],
            "counts": capture_counts(workshop=workshop),
            "config": config,
        },
    )


def _script_in_scope(request: HttpRequest, static_name: str) -> HttpResponse:
    """A static script served from a page URL; Django's file view answers a revalidation
    with a 304 (MapLibre's worker weighs 1 MB)."""
    path = finders.find(static_name)
    if path is None:
        raise Http404
    path = Path(path)
    return serve(request, path.name, document_root=path.parent)


@cache_control(no_cache=True)
def capture_service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /workshops/ so that its scope covers the pages
    (a script under /static/ could only control /static/)."""
    return _script_in_scope(request, "workshops/capture-sw.js")


@cache_control(no_cache=True)
def capture_map_worker(request: HttpRequest) -> HttpResponse:
    """MapLibre's worker, served under /workshops/ too: a worker is controlled by the
    service worker whose scope holds its own URL, so from here its script and the tiles
    it fetches come from the tablet's cache when the network is gone."""
    return _script_in_scope(request, "vendor/maplibre-gl/maplibre-gl-worker.mjs")
