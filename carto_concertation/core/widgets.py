# SPDX-License-Identifier: AGPL-3.0-or-later
"""Admin map widget that needs nothing outside the server.

Django's widgets load OpenLayers from a CDN and draw over OSM or NASA tiles; ours
serves OpenLayers from our static files (frontend/, from npm) and draws over the
communes of the territory, read from our own API.
"""

from django.conf import settings
from django.contrib.gis.admin import GISModelAdmin
from django.contrib.gis.forms.widgets import OpenLayersWidget
from django.urls import reverse


class LocalMapWidget(OpenLayersWidget):
    template_name = "gis/local-openlayers.html"

    class Media:
        extend = False  # drop Django's CDN copies of OpenLayers
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        lon, lat = settings.MAP_DEFAULT_CENTER
        context.update(
            default_lon=lon,
            default_lat=lat,
            default_zoom=10,
            communes_url=reverse("api:commune-list") + "?page_size=1000",
        )
        return context


class LocalGISModelAdmin(GISModelAdmin):
    gis_widget = LocalMapWidget
