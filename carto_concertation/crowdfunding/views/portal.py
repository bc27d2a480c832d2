# SPDX-License-Identifier: AGPL-3.0-or-later
"""The portal's public pages, in French, each working without JavaScript: the map of the
projects with its list twin and filters (``/financement/``), a project's page, and the
portal's figures per year and per commune. Reads only: the selectors say what is public."""

import json

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from carto_concertation.core.wgs84 import wgs84

from ..map_style import legend, portal_style
from ..models import Project
from ..selectors.portal import (
    MAP_STATUSES,
    campaign_timing,
    loan_example,
    platform_name,
    portal_communes,
    portal_extent,
    portal_figures,
    project_visible,
    projects_filtered,
    projects_refused,
    status_counts,
)
from ..tiles import PORTAL_TILESET

PAGE_SIZE = 24
# France's middle, for a portal with no project yet.
FRANCE = ([2.5, 46.6], 5)


class PortalFilterForm(forms.Form):
    """The portal's filters, by GET: the list twin and the map both follow them."""

    modalite = forms.MultipleChoiceField(
        label=gettext_lazy("Modality"),
        choices=Project.Modality.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    etat = forms.MultipleChoiceField(
        label=gettext_lazy("State"),
        choices=[(str(status), status.label) for status in MAP_STATUSES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    theme = forms.ChoiceField(label=gettext_lazy("Theme"), required=False)
    commune = forms.ChoiceField(label=gettext_lazy("Commune"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("All themes")), *Project.Theme.choices]
        self.fields["commune"].choices = [("", _("All communes"))] + [
            (commune.insee, commune.name) for commune in portal_communes()
        ]

    def selected(self) -> dict[str, list[str]]:
        data = self.cleaned_data
        return {
            "statuses": data["etat"],
            "modalities": data["modalite"],
            "themes": [data["theme"]] if data["theme"] else [],
            "communes": [data["commune"]] if data["commune"] else [],
        }


def _map_config(request: HttpRequest) -> dict:
    """The portal map's settings: its own style, framing the projects on the map."""
    tilejson = reverse("tilejson", args=[PORTAL_TILESET])
    bounds = portal_extent()
    center, zoom = FRANCE
    if bounds is not None:
        west, south, east, north = bounds
        center, zoom = [round((west + east) / 2, 6), round((south + north) / 2, 6)], 10
    return {
        "style": portal_style(
            tilejson_url=request.build_absolute_uri(tilejson),
            communes_url=request.build_absolute_uri(reverse("tilejson", args=["communes"])),
            center=center,
            zoom=zoom,
        ),
        "projectsTileJson": tilejson,
        "projectUrl": reverse("crowdfunding:project", args=["0"]),
        "bounds": bounds,
        "center": center,
        "zoom": zoom,
        "strings": {"mapLabel": _("Map of the crowdfunding projects")},
    }


@require_safe
def portal_page(request: HttpRequest) -> HttpResponse:
    """The map of the projects and its list twin, filtered by modality, state, theme and
    commune (GET); the counts at the top."""
    filters = PortalFilterForm(request.GET)
    if filters.is_valid():
        projects = projects_filtered(**filters.selected())
    else:
        projects = projects_filtered().none()
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = status_counts(projects)
    listed = list(page)
    for project in listed:
        project.timing = campaign_timing(project)
    return render(
        request,
        "crowdfunding/portal/portal.html",
        {
            "filters": filters,
            "counts": counts,
            "count_rows": [
                (str(status), status.label, counts[status])
                for status in MAP_STATUSES
                if counts[status]
            ],
            "page": page,
            "projects": listed,
            "refused": projects_refused(),
            "legend": legend(),
            "query": request.GET.urlencode(),
            "config": _map_config(request),
        },
        status=200 if filters.is_valid() else 400,
    )


@require_safe
def project_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A project: photos, description, porteur, place, modality and its terms, goal,
    progress, days left, the link to the platform, the collectivité's support; its
    refusal reason when refused. A project under review is not public (404)."""
    project = project_visible(slug)
    if project is None:
        raise Http404
    geom_wgs84 = wgs84(project.geom)
    place = geom_wgs84.point_on_surface
    return render(
        request,
        "crowdfunding/portal/project.html",
        {
            "project": project,
            "photos": list(project.photos.all()),
            "timing": campaign_timing(project),
            "loan": loan_example(project),
            "platform": platform_name(project),
            "config": {
                "place": json.loads(geom_wgs84.json),
                "center": [round(place.x, 6), round(place.y, 6)],
                "style": portal_style(
                    tilejson_url=request.build_absolute_uri(
                        reverse("tilejson", args=[PORTAL_TILESET])
                    ),
                    communes_url=request.build_absolute_uri(reverse("tilejson", args=["communes"])),
                    center=[round(place.x, 6), round(place.y, 6)],
                    zoom=15,
                ),
                "strings": {"mapLabel": _("Place of the project")},
            },
        },
    )


@require_safe
def figures_page(request: HttpRequest) -> HttpResponse:
    """The portal's figures per year and per commune, as tables."""
    return render(request, "crowdfunding/portal/figures.html", {"figures": portal_figures()})
