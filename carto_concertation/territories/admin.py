# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin

from carto_concertation.core.widgets import LocalGISModelAdmin

from . import services
from .models import Commune, Territory


@admin.register(Territory)
class TerritoryAdmin(LocalGISModelAdmin):
    """Territories come from import_territory; their outline is their communes' union."""

    list_display = ("name", "siren", "updated_at")
    search_fields = ("name", "siren")
    fields = ("siren", "name", "geom")
    readonly_fields = ("siren",)

    def has_add_permission(self, request) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["geom"].disabled = True
        return form

    def save_model(self, request, obj, form, change) -> None:
        services.territory_rename(territory=obj, name=obj.name)


@admin.register(Commune)
class CommuneAdmin(LocalGISModelAdmin):
    list_display = ("name", "insee", "population", "territory")
    list_filter = ("territory",)
    search_fields = ("name", "insee")

    def save_model(self, request, obj, form, change) -> None:
        previous = form.initial.get("territory") if change else None
        services.commune_save(commune=obj, previous_territory_id=previous)
