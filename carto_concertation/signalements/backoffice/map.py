# SPDX-License-Identifier: AGPL-3.0-or-later
"""The dashboard's map: a MapLibre style of the house's own (the background, the basemaps
the administrator turned on, the communes' outlines from our tiles) and the filtered
reports as inline GeoJSON, which frontend/src/signalements-desk/desk.js draws; the
queue's table is its twin without JavaScript."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from carto_concertation.core.basemaps import basemaps_enabled

from ..models import Report
from .queue import point_feature, with_lonlat

# Past this many reports, the map shows the most recent ones (the filters narrow it).
MAP_MAX = 2000
BACKGROUND = "#f4f1ea"
COMMUNE_LINE = "#5b5b6b"


def desk_style(request: HttpRequest) -> dict:
    """The style document: no source but ours unless a basemap is turned on."""
    sources: dict = {
        "communes": {
            "type": "vector",
            "url": request.build_absolute_uri("/tiles/communes.json"),
        }
    }
    layers: list[dict] = [
        {"id": "background", "type": "background", "paint": {"background-color": BACKGROUND}}
    ]
    first = True
    for basemap in sorted(basemaps_enabled(), key=lambda basemap: basemap.overlay):
        layer_id = f"basemap-{basemap.name}"
        sources[layer_id] = basemap.source()
        shown = first and not basemap.overlay
        first = first and basemap.overlay
        layers.append(
            {
                "id": layer_id,
                "type": "raster",
                "source": layer_id,
                "layout": {"visibility": "visible" if shown else "none"},
            }
        )
    layers.append(
        {
            "id": "communes-outline",
            "type": "line",
            "source": "communes",
            "source-layer": "communes",
            "paint": {"line-color": COMMUNE_LINE, "line-width": 1.5},
        }
    )
    return {
        "version": 8,
        "name": _("Reports of the services"),
        "sources": sources,
        "layers": layers,
    }


def desk_features(reports: QuerySet[Report]) -> dict:
    """The reports as a GeoJSON FeatureCollection (WGS84): number, state, overdue, the
    category and the link to the agent's page; the most recent first."""
    rows = (
        with_lonlat(reports)
        .select_related("category__parent")
        .order_by("-created_at", "-pk")[:MAP_MAX]
    )
    return {
        "type": "FeatureCollection",
        "features": [
            point_feature(
                report,
                {
                    "id": report.pk,
                    "title": f"n° {report.pk} · {report.category}",
                    "state": report.state,
                    "state_label": str(report.get_state_display()),
                    "overdue": report.overdue,
                    "url": reverse("signalements:desk-report", args=[report.pk]),
                },
            )
            for report in rows
        ],
    }
