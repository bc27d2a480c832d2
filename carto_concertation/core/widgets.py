# SPDX-License-Identifier: AGPL-3.0-or-later
"""Admin map widget that needs nothing outside the server.

Django's widgets load OpenLayers from a CDN and draw over OSM or NASA tiles; ours
serves OpenLayers from our static files (frontend/, from npm) and draws over the
communes of the territory, read from our own API. Django's template starts the map in an
inline script, which the Content-Security-Policy refuses: ours writes the map's options
as JSON and a static script (frontend/src/admin-map/) starts it.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.contrib.gis.forms.widgets import OpenLayersWidget
from django.contrib.postgres.fields import ArrayField
from django.urls import reverse
from django.utils.text import capfirst


class LocalMapWidget(OpenLayersWidget):
    template_name = "gis/local-openlayers.html"
    # An empty map opens on the extent (WGS84 [west, south, east, north]) of the option
    # chosen in another field of the form, and follows it: a concertation's perimeter on
    # its territory. Set by the admin that knows both (concertations.admin).
    fit_extents: dict[str, list[float]] | None = None
    fit_field: str | None = None

    class Media:
        extend = False  # drop Django's CDN copies of OpenLayers
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js", "admin-map/local-map-widget.js")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        lon, lat = settings.MAP_DEFAULT_CENTER
        context["map_options"] = {
            # What Django's template passes to OLMapWidget.js's MapWidget.
            "geom_name": context["geom_type"],
            "id": context["id"],
            "map_id": f"{context['id']}_map",
            "map_srid": context["map_srid"],
            "name": context["name"],
            "default_lon": lon,
            "default_lat": lat,
            "default_zoom": 10,
            # Ours: the global the widget is kept in (as Django names it), the base layer.
            "module": context["module"],
            "communes_url": reverse("api:commune-list") + "?page_size=1000",
        }
        if self.fit_extents is not None and self.fit_field:
            context["map_options"]["fit_extents"] = self.fit_extents
            context["map_options"]["fit_field"] = self.fit_field
        context["map_options_id"] = f"{context['id']}_map_options"
        return context


class ChoiceArrayAdmin(admin.ModelAdmin):
    """A list of choices (an ArrayField of a field with choices) as boxes to tick, by
    their labels, where Django's admin would show a text box of codes ("point,line,area")."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, ArrayField) and db_field.base_field.choices:
            return forms.TypedMultipleChoiceField(
                label=capfirst(db_field.verbose_name),
                help_text=db_field.help_text,
                choices=db_field.base_field.choices,
                coerce=db_field.base_field.to_python,
                required=not db_field.blank,
                widget=forms.CheckboxSelectMultiple,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class LocalGISModelAdmin(ChoiceArrayAdmin, GISModelAdmin):
    gis_widget = LocalMapWidget
