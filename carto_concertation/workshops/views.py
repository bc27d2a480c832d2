# SPDX-License-Identifier: AGPL-3.0-or-later
"""The relay's pages: their workshops with a form to plan one, and the tablet page that
captures ideas, offline too (the page module queues them and syncs them)."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods
from django.views.static import serve
from django_ratelimit.decorators import ratelimit

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import communes_for_relay, territories_for_role
from carto_concertation.concertations.models import Concertation
from carto_concertation.territories.models import Commune
from carto_concertation.territories.selectors import module_on

from . import services
from .forms import WorkshopForm
from .manifest import WORKSHOPS
from .models import WorkshopCapture
from .permissions import workshop_runner_check
from .selectors import capture_counts, workshop_list_for


def _rate(group, request) -> str:
    return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["workshop"]


def _form_choices(user) -> dict:
    relay_communes = communes_for_relay(user=user)
    planned = territories_for_role(user=user, role=Role.PLANNER)
    communes = Commune.objects.filter(pk__in=relay_communes) | Commune.objects.filter(
        territory__in=planned
    )
    concertations = Concertation.objects.filter(
        status__in=(Concertation.Status.OPEN, Concertation.Status.CLOSED),
        territory__in=communes.values("territory"),
    ).filter(module_on(WORKSHOPS.name))
    return {"concertations": concertations.order_by("title"), "communes": communes.order_by("name")}


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=_rate, method="POST", block=True)
def workshop_list_page(request: HttpRequest) -> HttpResponse:
    workshop_runner_check(user=request.user)
    form = WorkshopForm(request.POST or None, **_form_choices(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.workshop_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("workshops:workshop-capture", pk=workshop.pk)
    return render(
        request,
        "workshops/list.html",
        {"workshops": workshop_list_for(user=request.user), "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _strings() -> dict[str, str]:
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
    }


@login_required
def workshop_capture_page(request: HttpRequest, pk: int) -> HttpResponse:
    workshop_runner_check(user=request.user)
    workshop = get_object_or_404(workshop_list_for(user=request.user), pk=pk)
    centroid = workshop.commune.geom.point_on_surface.transform(4326, clone=True)
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
    }
    return render(
        request,
        "workshops/capture.html",
        {
            "workshop": workshop,
            "themes": workshop.concertation.themes.all(),
            "channels": WorkshopCapture.Channel.choices,
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
