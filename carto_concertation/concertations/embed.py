# SPDX-License-Identifier: AGPL-3.0-or-later
"""The light map page a commune's own website shows in an <iframe>: the map, its legend
and a link to the full page, no header. The only page any site may frame (core.csp's
``framable``, X-Frame-Options left out); every other keeps DENY."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from carto_concertation.core.csp import framable
from carto_concertation.core.wgs84 import wgs84
from plui_documents.cnig import TYPEZONE_LABELS
from tiles.styles import ZONE_COLOURS

from .selectors import concertation_map_space_public


@require_GET
@xframe_options_exempt
@framable
def embed_page(request: HttpRequest, slug: str) -> HttpResponse:
    space = concertation_map_space_public(slug)
    if space is None:
        raise Http404
    centroid = wgs84(space.perimeter.centroid)
    page_url = request.build_absolute_uri(reverse("concertation", args=[slug]))
    config = {
        "styleUrl": reverse("map-style", args=[slug]),
        "center": [round(centroid.x, 6), round(centroid.y, 6)],
        "zoom": 11,
        "strings": {
            "mapLabel": _("Map of the concertation: the zoning and the ideas"),
            "basemaps": _("Basemaps and layers"),
            "noBasemap": _("No basemap"),
            "basemapTitle": _("Basemap"),
            "overlaysTitle": _("Over the map"),
            "layersTitle": _("Layers of the concertation"),
        },
    }
    return render(
        request,
        "concertations/embed.html",
        {
            "space": space,
            "page_url": page_url,
            "zone_legend": [
                (code, TYPEZONE_LABELS[code], colour) for code, colour in ZONE_COLOURS.items()
            ]
            if space.zoning
            else [],
            "config": config,
        },
    )
