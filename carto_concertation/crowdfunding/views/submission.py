# SPDX-License-Identifier: AGPL-3.0-or-later
"""The porteur's pages, in French and working without JavaScript: submitting a project
(placed by longitude and latitude, or in a commune) and "Mes projets" (each project's
status, a refusal's public reason). Writes go through the services; a refusal re-shows
the form with the message under the field it names (400)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from carto_concertation.core.throttles import page_throttled
from carto_concertation.core.wgs84 import wgs84
from carto_concertation.territories.models import Commune

from ..selectors.submission import portal_territories, projects_submitted_by
from ..services.projects import project_submit
from .submission_forms import SubmitForm, errors_onto

WGS84 = 4326


def communes_of(territories) -> list[Commune]:
    return list(Commune.objects.filter(territory__in=territories).order_by("name"))


def pick_map_config(request: HttpRequest, territory) -> dict:
    """The submission map (with JavaScript): the communes' outlines, nothing fetched
    outside the server, centred on the territory."""
    centre = wgs84(territory.geom.point_on_surface)
    center = [round(centre.x, 6), round(centre.y, 6)]
    communes = request.build_absolute_uri(reverse("tilejson", args=["communes"]))
    return {
        "style": {
            "version": 8,
            "sources": {"communes": {"type": "vector", "url": communes}},
            "layers": [
                {
                    "id": "background",
                    "type": "background",
                    "paint": {"background-color": "#f4f1ea"},
                },
                {
                    "id": "communes-outline",
                    "type": "line",
                    "source": "communes",
                    "source-layer": "communes",
                    "paint": {"line-color": "#5b5b6b", "line-width": 1.5},
                },
            ],
        },
        "center": center,
        "zoom": 11,
        "strings": {
            "mapLabel": _("Map for placing the project"),
            "placeHint": _("Tap the map where the project is."),
            "placed": _("Place chosen on the map."),
        },
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def project_propose(request: HttpRequest) -> HttpResponse:
    """Submit a project: a tap on the map (with JavaScript) or the coordinates typed, or
    the commune chosen, place it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    territories = list(portal_territories())
    if not territories:
        raise Http404
    form = SubmitForm(
        request.POST or None,
        request.FILES or None,
        territories=territories,
        communes=communes_of(territories),
    )
    if request.method == "POST" and form.is_valid():
        if refused := page_throttled(request, "contribution_write"):
            return refused
        try:
            project = project_submit(
                user=request.user,
                territory=form.territory_chosen(),
                data=form.project_data(),
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(
                request,
                _("Your project “%(title)s” is sent: the local authority's agents review it.")
                % {"title": project.title},
            )
            return redirect("crowdfunding:mine")
    return render(
        request,
        "crowdfunding/submission/propose.html",
        {"form": form, "config": pick_map_config(request, territories[0])},
        status=400 if form.is_bound else 200,
    )


@never_cache
def projects_mine(request: HttpRequest) -> HttpResponse:
    """The porteur's projects, each with its status and a refusal's public reason."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "crowdfunding/submission/mine.html",
        {"projects": projects_submitted_by(request.user)},
    )
