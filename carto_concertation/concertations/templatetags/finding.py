# SPDX-License-Identifier: AGPL-3.0-or-later
"""``{% map_finding concertation %}``: the map's search box (a GET form, its results page
without JavaScript; with JavaScript, search.js moves it onto the map) and the
configuration frontend/src/map/search.js reads. ``{% map_embed concertation %}``: the
embed snippet of the light map page, at the end of the page."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from carto_concertation.core.basemaps import ADDRESS_SEARCH_URL, address_search_enabled
from carto_concertation.core.search import QUERY_MAX

register = template.Library()


@register.inclusion_tag("concertations/finding.html", takes_context=True)
def map_finding(context, concertation) -> dict:
    address_search = address_search_enabled()
    return {
        "slug": concertation.slug,
        "title": concertation.title,
        "query_max": QUERY_MAX,
        "address_search": address_search,
        "config": {
            "searchUrl": reverse("api:space-search", args=[concertation.slug]),
            "addressUrl": ADDRESS_SEARCH_URL if address_search else None,
            "strings": {
                "address": _("address (Géoplateforme)"),
                "nothing": _("Nothing found."),
                "found": _("Results found: %s."),
                "searching": _("Searching…"),
                "movedTo": _("The map shows %s."),
                "failed": _("The search did not answer; try again."),
                "copied": _("Code copied."),
                "basemaps": _("Basemaps and layers"),
                "noBasemap": _("No basemap"),
                "basemapTitle": _("Basemap"),
                "overlaysTitle": _("Over the map"),
                "layersTitle": _("Layers of the concertation"),
            },
        },
    }


@register.inclusion_tag("concertations/embed_snippet.html", takes_context=True)
def map_embed(context, concertation) -> dict:
    request = context["request"]
    return {
        # The code to paste, escaped for the HTML it goes into (a title may hold quotes);
        # the template escapes it once more to show it in the text area.
        "embed_code": format_html(
            '<iframe src="{}" title="{}" width="100%" height="500" style="border:0" '
            'loading="lazy"></iframe>',
            request.build_absolute_uri(reverse("concertation-embed", args=[concertation.slug])),
            concertation.title,
        ),
    }
